"""Wrenchbook entry point: the desktop app by default, `python main.py COMMAND` for scripts."""

import sys

from desktop.cli import command_names, main


def wants_gui(argv: list[str]) -> bool:
    """No subcommand (options such as --db may still be given) and no request for help."""
    return not any(arg in command_names() or arg in ("-h", "--help") for arg in argv)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--self-test" in arguments:
        from ui.self_test import run as self_test

        sys.exit(self_test(arguments))
    if wants_gui(arguments):
        from ui.app import run

        sys.exit(run(arguments))
    sys.exit(main(arguments))
