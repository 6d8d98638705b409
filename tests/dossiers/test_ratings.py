"""Ratings: three levels, an optional reason, tied to counter, staff, ticket and dossier."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dossier_support import CLERK, outbox

from kiosk.dossiers import (
    CounterNotFound,
    Dossier,
    DossierService,
    RatingAlreadyGiven,
    RatingLevel,
)
from kiosk.queue import Outcome, QueueEngine
from kiosk.store import Store


def test_labels_are_the_three_legal_levels() -> None:
    assert [level.label for level in RatingLevel] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]


def test_a_rating_is_tied_to_what_the_counter_just_served(
    service: DossierService, engine: QueueEngine, store: Store, receive: Callable[..., Dossier]
) -> None:
    ticket = engine.issue("A", actor="kiosk").ticket
    engine.call_next(1, actor=CLERK)
    dossier = receive(ticket_id=ticket.id, counter_number=1)
    engine.finish(1, Outcome.RECEIVED, actor=CLERK, dossier_code=dossier.code)
    rating = service.rate(
        "unsatisfied", actor="device:9", counter_number=1, staff="lan", comment="Chờ lâu"
    )
    assert rating.level is RatingLevel.UNSATISFIED
    assert (rating.counter_number, rating.staff) == (1, "lan")
    assert (rating.ticket_id, rating.dossier_code) == (ticket.id, dossier.code)
    assert rating.comment == "Chờ lâu"
    [event] = outbox(store, "rating.given")
    assert event["has_comment"] is True and "Chờ lâu" not in str(event)
    with pytest.raises(RatingAlreadyGiven):
        service.rate("very_satisfied", actor="device:9", counter_number=1)


def test_a_rating_by_dossier_code_finds_its_ticket(
    service: DossierService, engine: QueueEngine, receive: Callable[..., Dossier]
) -> None:
    ticket = engine.issue("A", actor="kiosk").ticket
    dossier = receive(ticket_id=ticket.id)
    rating = service.rate("satisfied", actor=CLERK, dossier_code=dossier.code.lower())
    assert rating.ticket_id == ticket.id and rating.dossier_code == dossier.code


def test_a_retried_rating_is_one_rating(
    service: DossierService, store: Store, engine: QueueEngine
) -> None:
    first = service.rate("very_satisfied", actor="d", counter_number=2, request_id="rate-000001")
    again = service.rate("very_satisfied", actor="d", counter_number=2, request_id="rate-000001")
    assert again.id == first.id and again.replayed
    assert len(store.query("SELECT id FROM ratings")) == 1


def test_unknown_level_and_counter(service: DossierService) -> None:
    with pytest.raises(ValueError):
        service.rate("meh", actor="d")
    with pytest.raises(CounterNotFound):
        service.rate("satisfied", actor="d", counter_number=42)
