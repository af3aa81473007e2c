"""Wrenchbook entry point: the desktop app by default, `python main.py COMMAND` for scripts."""

import sys

# The CLI's subcommands, written out so that starting the desktop app does not import the CLI
# (it loads pandas, asyncua and every service: seconds before the window could show).
# tests/test_entry_point.py keeps this equal to the parser's own list.
SUBCOMMANDS = frozenset(
    {
        "backup", "calendar", "checklist", "demo", "export", "handover", "import", "init", "kpi", "meter",
        "monitor", "notify", "plant", "pm", "po", "report", "restore", "set-password", "set-pin", "settings",
        "simulator", "stock", "unlock", "verify-audit", "wo",
    }
)  # fmt: skip


def wants_gui(argv: list[str]) -> bool:
    """No subcommand (options such as --db may still be given) and no request for help."""
    return not any(arg in SUBCOMMANDS or arg in ("-h", "--help") for arg in argv)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--self-test" in arguments:
        from ui.self_test import run as self_test

        sys.exit(self_test(arguments))
    if wants_gui(arguments):
        from ui.app import run

        sys.exit(run(arguments))
    from desktop.cli import main

    sys.exit(main(arguments))
