"""Sirocco: live cross-matching and information exchange for joint operations against migrant smuggling."""

__version__ = "0.1.0"
