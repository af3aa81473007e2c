"""Wrenchbook entry point: the desktop app by default, `python main.py COMMAND` for scripts."""

import sys

# The CLI's subcommands, written out so that starting the desktop app does not import the CLI
# (it loads pandas, asyncua and every service: seconds before the window could show).
# tests/test_entry_point.py keeps this equal to the parser's own list.
SUBCOMMANDS = frozenset(
    {
        "backup", "backup-history", "calendar", "checklist", "demo", "export", "handover",
        "import", "init", "kpi", "lockout", "meter", "monitor", "notify", "plant", "pm", "po",
        "report", "restore", "set-password", "set-pin", "settings", "simulator", "stock",
        "unlock", "verify-audit", "wo",
    }
)  # fmt: skip


def wants_gui(argv: list[str]) -> bool:
    """No subcommand (options such as --db may still be given) and no request for help."""
    return not any(arg in SUBCOMMANDS or arg in ("-h", "--help") for arg in argv)


if __name__ == "__main__":
    # The plant pipeline runs in a spawned child process (desktop.plant.pipeline_process): in
    # the frozen bundle that child is this executable, which must hand over to it at once.
    from multiprocessing import freeze_support

    freeze_support()
    arguments = sys.argv[1:]
    if "--self-test" in arguments:
        from ui.self_test import run as self_test

        sys.exit(self_test(arguments))
    if wants_gui(arguments):
        from PySide6.QtWidgets import QApplication

        from ui.app import run
        from ui.quit_signals import quit_on_signals

        application = QApplication([sys.argv[0]])  # run() takes this instance
        quit_on_signals(application)  # here, not in run(): tests call run() inside pytest
        sys.exit(run(arguments))
    from desktop.cli import main
    from desktop.cli.interrupts import interrupt_on_signals

    interrupt_on_signals()
    sys.exit(main(arguments))
