"""Risk scoring, consistency checks and the round-to-round diff: pure functions over plain
data (no Django import).

A risk level is a *lookup* in the matrix grid, never a product of likelihood and impact,
so asymmetric matrices work. Likelihood and impact values run from 1 to the matrix size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LevelSpec:
    code: str
    name_es: str
    name_en: str
    colour: str  # CSS colour, e.g. "#c62828"
    rank: int  # higher is worse


@dataclass(frozen=True)
class MatrixSpec:
    likelihoods: tuple[tuple[str, str], ...]  # (es, en) label of value 1, 2, ...
    impacts: tuple[tuple[str, str], ...]
    levels: tuple[LevelSpec, ...]
    grid: tuple[tuple[str, ...], ...]  # grid[likelihood - 1][impact - 1] = level code

    def level(self, code: str) -> LevelSpec:
        return next(level for level in self.levels if level.code == code)


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalog without importing Django; the caller
    translates it (``MatrixProblem.template``)."""
    return message


@dataclass(frozen=True)
class MatrixProblem:
    """Why a matrix is unusable: an English message template (a catalog msgid) and its
    values, so the caller can show it in the person's language."""

    template: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % self.params


def validate_matrix(spec: MatrixSpec) -> list[MatrixProblem]:
    """Every reason ``spec`` is not a usable matrix; empty when it is. Colours must be
    ``#rrggbb``."""
    problems = []
    if not 2 <= len(spec.likelihoods) <= 10 or not 2 <= len(spec.impacts) <= 10:
        problems.append(
            MatrixProblem(
                gettext_noop("A matrix has between 2 and 10 likelihood and impact levels.")
            )
        )
    codes = [level.code for level in spec.levels]
    if len(set(codes)) != len(codes) or not codes:
        problems.append(MatrixProblem(gettext_noop("Risk level codes must be present and unique.")))
    if len({level.rank for level in spec.levels}) != len(spec.levels):
        problems.append(MatrixProblem(gettext_noop("Risk level ranks must be unique.")))
    bad_colours = [level.colour for level in spec.levels if not is_colour(level.colour)]
    if bad_colours:
        problems.append(
            MatrixProblem(
                gettext_noop("Colours are written as #rrggbb, for example #b71c1c: %(colours)s."),
                {"colours": ", ".join(bad_colours)},
            )
        )
    if len(spec.grid) != len(spec.likelihoods) or any(
        len(row) != len(spec.impacts) for row in spec.grid
    ):
        problems.append(
            MatrixProblem(
                gettext_noop("The grid needs one row per likelihood and one cell per impact.")
            )
        )
    unknown = sorted({cell for row in spec.grid for cell in row} - set(codes))
    if unknown:
        problems.append(
            MatrixProblem(
                gettext_noop("The grid uses unknown levels: %(levels)s."),
                {"levels": ", ".join(unknown)},
            )
        )
    return problems


def is_colour(value: str) -> bool:
    """``#rrggbb`` in hexadecimal, the one colour form the pages and reports accept."""
    return (
        len(value) == 7
        and value[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )


def risk_level(spec: MatrixSpec, likelihood: int, impact: int) -> LevelSpec:
    """The level of a (likelihood, impact) cell; ``ValueError`` outside the matrix."""
    if not (1 <= likelihood <= len(spec.likelihoods) and 1 <= impact <= len(spec.impacts)):
        raise ValueError(f"({likelihood}, {impact}) is outside the matrix")
    return spec.level(spec.grid[likelihood - 1][impact - 1])


L, M, H, C = "low", "medium", "high", "critical"
DEFAULT_MATRIX = MatrixSpec(
    likelihoods=(
        ("Rara", "Rare"),
        ("Improbable", "Unlikely"),
        ("Posible", "Possible"),
        ("Probable", "Likely"),
        ("Casi segura", "Almost certain"),
    ),
    impacts=(
        ("Mínimo", "Minimal"),
        ("Menor", "Minor"),
        ("Moderado", "Moderate"),
        ("Mayor", "Major"),
        ("Grave", "Severe"),
    ),
    levels=(
        LevelSpec(L, "Bajo", "Low", "#2e7d32", 1),
        LevelSpec(M, "Medio", "Medium", "#b28704", 2),
        LevelSpec(H, "Alto", "High", "#e65100", 3),
        LevelSpec(C, "Crítico", "Critical", "#b71c1c", 4),
    ),
    # Impact weighs more than likelihood: harm to a child is never "minor" in effect.
    grid=(
        (L, L, L, M, M),
        (L, L, M, M, H),
        (L, M, M, H, H),
        (M, M, H, H, C),
        (M, H, H, C, C),
    ),
)


def starting_matrix(likelihood_levels: int, impact_levels: int) -> MatrixSpec:
    """A usable matrix of the given size to edit from: numbered labels, the default
    matrix's four levels, and a grid that grows towards high likelihood and impact, impact
    weighing more (as in the default matrix)."""
    levels = DEFAULT_MATRIX.levels

    def cell(likelihood: int, impact: int) -> str:
        weight = 0.4 * (likelihood - 1) / (likelihood_levels - 1) + 0.6 * (impact - 1) / (
            impact_levels - 1
        )
        return levels[min(len(levels) - 1, int(weight * len(levels)))].code

    return MatrixSpec(
        likelihoods=tuple((f"Nivel {n}", f"Level {n}") for n in range(1, likelihood_levels + 1)),
        impacts=tuple((f"Nivel {n}", f"Level {n}") for n in range(1, impact_levels + 1)),
        levels=levels,
        grid=tuple(
            tuple(cell(likelihood, impact) for impact in range(1, impact_levels + 1))
            for likelihood in range(1, likelihood_levels + 1)
        ),
    )


@dataclass(frozen=True)
class Rating:
    """What a finding says, as plain values."""

    key: str  # the threat code: one finding per threat and round
    sector: str
    inherent: tuple[int, int]  # (likelihood, impact)
    residual: tuple[int, int] | None = None
    measures: int | None = None  # measures in effect treating it; None while unknown
    # The residual the measures in effect suggest (their expected effects applied to the
    # inherent rating); None when no measure is in effect or measures are unknown.
    suggested: tuple[int, int] | None = None


@dataclass(frozen=True)
class Issue:
    kind: str  # residual_above_inherent | lowered_without_measure | below_suggestion
    # | sector_unassessed
    subject: str  # a threat code, or a sector code for sector_unassessed
    suggested: tuple[int, int] | None = None  # for below_suggestion: what the measures suggest


def consistency_issues(
    spec: MatrixSpec, ratings: Sequence[Rating], sectors: Iterable[str]
) -> list[Issue]:
    """Ratings that contradict themselves and sectors with no finding at all.

    - residual above inherent: treatment cannot make a risk worse (either component higher,
      or a worse level);
    - lowered without a measure: a residual below the inherent level needs a measure behind
      it (checked only when measure counts are known);
    - below the suggestion: measures in effect lower the risk only as much as they are
      expected to, so a residual at a lower level than the one their expected effects
      suggest (``Rating.suggested``) claims more than they do;
    - sector unassessed: a ministry with no finding in the round.
    """
    issues = []
    for r in ratings:
        if r.residual is None:
            continue
        before = risk_level(spec, *r.inherent).rank
        after = risk_level(spec, *r.residual).rank
        if r.residual[0] > r.inherent[0] or r.residual[1] > r.inherent[1] or after > before:
            issues.append(Issue("residual_above_inherent", r.key))
        elif r.measures == 0 and after < before:
            issues.append(Issue("lowered_without_measure", r.key))
        elif (
            r.measures
            and r.suggested
            # A matrix need not grow with its axes: never ask for more than "no change".
            and after < min(before, risk_level(spec, *r.suggested).rank)
        ):
            issues.append(Issue("below_suggestion", r.key, r.suggested))
    assessed = {r.sector for r in ratings}
    issues += [Issue("sector_unassessed", s) for s in sorted(set(sectors) - assessed)]
    return issues


@dataclass
class RoundDiff:
    new: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rerated: list[tuple[str, Rating, Rating]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.removed or self.rerated)


def round_diff(previous: Sequence[Rating], current: Sequence[Rating]) -> RoundDiff:
    """What changed since the previous round, by threat: new, removed and re-rated findings
    (inherent or residual ratings differ)."""
    before = {r.key: r for r in previous}
    after = {r.key: r for r in current}
    diff = RoundDiff(
        new=sorted(set(after) - set(before)),
        removed=sorted(set(before) - set(after)),
    )
    for key in sorted(set(before) & set(after)):
        old, now = before[key], after[key]
        if (old.inherent, old.residual) != (now.inherent, now.residual):
            diff.rerated.append((key, old, now))
    return diff


def heat_grid(
    spec: MatrixSpec, counts: dict[tuple[int, int], int]
) -> list[list[tuple[int, int, int, LevelSpec]]]:
    """Rows from the highest likelihood down, each cell (likelihood, impact, count, level),
    as a heat map is read."""
    return [
        [
            (
                likelihood,
                impact,
                counts.get((likelihood, impact), 0),
                risk_level(spec, likelihood, impact),
            )
            for impact in range(1, len(spec.impacts) + 1)
        ]
        for likelihood in range(len(spec.likelihoods), 0, -1)
    ]
