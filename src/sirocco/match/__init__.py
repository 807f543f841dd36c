"""The matching core: pure functions from records to scored, explained pairs.

Nothing in this package touches a database, the network or the clock. The live server,
``sirocco xmatch`` and the bulk engine all call the same functions.
"""
