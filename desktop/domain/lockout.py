"""Lock-out/tag-out rules: work starts only behind verified isolation and ends after release."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.phrases import Phrase


@dataclass(frozen=True)
class IsolationState:
    """One isolation point of an order's asset and how far its lock has come."""

    position: int
    energy_source: str
    lock_point: str
    applied: bool = False
    verified: bool = False
    removed: bool = False

    @property
    def label(self) -> Phrase:
        return Phrase(
            "isolation {position} ({energy_source} at {lock_point})",
            position=self.position,
            energy_source=self.energy_source,
            lock_point=self.lock_point,
        )


def start_problems(states: tuple[IsolationState, ...]) -> list[str]:
    """What stops work starting: every point locked and its zero energy verified (OSHA 1910.147
    (d)(6): verify isolation before work begins)."""
    problems: list[str] = []
    for state in states:
        if not state.applied or state.removed:
            problems.append(Phrase("{label} not locked", label=state.label))
        elif not state.verified:
            problems.append(
                Phrase("{label} locked but zero energy not verified", label=state.label)
            )
    return problems


def release_problems(states: tuple[IsolationState, ...]) -> list[str]:
    """What stops completion: a lock still on (release is recorded before the order ends)."""
    return [
        Phrase("{label} still locked: record its release first", label=s.label)
        for s in states
        if s.applied and not s.removed
    ]


def energised(reading: float, zero_max: float) -> bool:
    """A reading above the point's zero threshold means energy is present."""
    return abs(reading) > zero_max


def second_signer_problem(signer_ids: set[int], signer: int, signer_name: str) -> str | None:
    """Two-person sign-offs: the second signature must come from somebody else."""
    if signer in signer_ids:
        return Phrase(
            "{signer_name} already signed this order's safety sign-off; a second "
            "person must sign the other",
            signer_name=signer_name,
        )
    return None
