"""The hidden cells of a pending release (``release``): every cell its reader does not
know in full, answered as a set without being one."""

from __future__ import annotations

from amparo.disclosure import keys, track

PROGRAM = keys.PROGRAM


class UnknownCells:
    """The hidden cells of a protection not worked out yet: every cell the reader does not
    know in full (the regions whose details they see, and the program's cells when they
    see every region). A worked-out protection never hides those either and hides at
    most the rest, so this hides at least what it would: it reveals nothing more.

    It answers what a set of hidden cells is asked (``in``, truth, ``|`` and ``<=`` with a
    frozenset) and refuses to be listed, so no caller can mistake it for a few cells."""

    def __init__(
        self, known_regions: frozenset[str] = frozenset(), program_known: bool = False
    ) -> None:
        self.known_regions = known_regions
        self.program_known = program_known

    def knows(self, region: str) -> bool:
        return self.program_known if region == PROGRAM else region in self.known_regions

    def __contains__(self, cell: object) -> bool:
        return not (isinstance(cell, tuple) and self.knows(track.region_of(cell)))

    def __bool__(self) -> bool:
        return True

    def __or__(self, other: object) -> UnknownCells:
        # Every cell: more than the union when the reader knows some, which is safe.
        return EVERY_CELL

    __ror__ = __or__

    def __le__(self, other: object) -> bool:
        return other is EVERY_CELL or (
            isinstance(other, UnknownCells)
            and other.known_regions <= self.known_regions
            and (other.program_known <= self.program_known)
        )

    def __ge__(self, other: object) -> bool:
        if isinstance(other, UnknownCells):
            return other <= self
        return all(cell in self for cell in other)  # type: ignore[attr-defined]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownCells) and (
            (self.known_regions, self.program_known) == (other.known_regions, other.program_known)
        )

    def __hash__(self) -> int:
        return hash((self.known_regions, self.program_known))

    def __iter__(self):
        raise TypeError("every unknown cell is hidden: there is no list of them")

    def __repr__(self) -> str:
        return f"UnknownCells({sorted(self.known_regions)}, program={self.program_known})"


EVERY_CELL = UnknownCells()  # a reader who knows no region in full: every cell
