"""One module per ``revsok`` subcommand: ``HELP``, ``add_arguments(parser)`` and
``run(args, settings)``."""
