"""`python -m desktop`, and the entry script of the PyInstaller bundle."""

from desktop.app import main

raise SystemExit(main())
