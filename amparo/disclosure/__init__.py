"""Disclosure control: which counts a reader may not see, and proof that none can be worked
out from what they do see (``docs/disclosure.md``).

``model`` (the shared types), ``protect`` (primary and secondary suppression) and ``audit``
(the interval each hidden cell can still take, by linear programming) are pure and know
nothing of Django.
"""
