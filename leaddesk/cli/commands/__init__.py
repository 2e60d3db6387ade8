"""One module per `leaddesk` command, each with ``run(args) -> exit status``.

A command imports what it needs when it runs, so that building the parser
(which refers to every ``run``) loads nothing heavy.
"""
