"""``python -m secgraph``: the command line; nothing else."""

from secgraph.cli import main

raise SystemExit(main())
