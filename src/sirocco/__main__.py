"""``python -m sirocco``."""

from sirocco.cli import main

main()
