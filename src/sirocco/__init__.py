"""Sirocco: live cross-matching and information exchange for joint operations against migrant smuggling."""

from sirocco.compiled import check as _check_compiled

__version__ = "0.1.0"

_check_compiled()  # a module compiled from an older source is never run
