"""The office's groups and counters: checking a configuration and writing it."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.domain.codes import validate_ticket_prefix
from kiosk.domain.errors import ValidationError
from kiosk.domain.text import clean
from kiosk.queue.errors import QueueConfigError
from kiosk.queue.models import Counter, CounterInfo, Group, ServiceGroup
from kiosk.store import WriteTx, ticket_repo

Specs = tuple[list[Group], list[Counter]]


def checked(groups: Sequence[Group], counters: Sequence[Counter]) -> Specs:
    """The configuration cleaned up (names, prefixes), or the `QueueConfigError` that says
    what cannot work."""
    checked_groups = [_checked_group(spec) for spec in groups]
    prefixes = [g.prefix for g in checked_groups]
    if len(set(prefixes)) != len(prefixes):
        raise QueueConfigError("Hai nhóm dịch vụ không được dùng chung một ký hiệu.")
    checked_counters = [_checked_counter(spec, set(prefixes)) for spec in counters]
    numbers = [c.number for c in checked_counters]
    if len(set(numbers)) != len(numbers):
        raise QueueConfigError("Hai quầy không được trùng số.")
    return checked_groups, checked_counters


def _checked_group(spec: Group) -> Group:
    try:
        prefix = validate_ticket_prefix(spec.prefix)
    except ValidationError as error:
        raise QueueConfigError(error.message, prefix=spec.prefix) from None
    name = clean(spec.name)
    if not name:
        raise QueueConfigError(f"Nhóm '{prefix}' chưa có tên.", prefix=prefix)
    if not 1 <= spec.number_width <= 6:
        raise QueueConfigError(f"Số chữ số của nhóm '{prefix}' phải từ 1 đến 6.", prefix=prefix)
    fields = tuple(clean(f) for f in spec.fields)
    return Group(prefix, name, fields, spec.number_width)


def _checked_counter(counter: Counter, known: set[str]) -> Counter:
    if counter.number < 1:
        raise QueueConfigError(f"Số quầy phải từ 1 trở lên (đang là {counter.number}).")
    wanted = tuple(p.strip().upper() for p in counter.groups)
    unknown = [p for p in wanted if p not in known]
    if unknown:
        raise QueueConfigError(
            f"Quầy {counter.number} phục vụ nhóm '{unknown[0]}' không có trong cấu hình.",
            counter=counter.number,
        )
    if len(set(wanted)) != len(wanted):
        raise QueueConfigError(f"Quầy {counter.number} liệt kê một nhóm hai lần.")
    name = clean(counter.name) or f"Quầy {counter.number}"
    return Counter(counter.number, name, counter.fields, wanted, counter.open)


def matches(groups: list[ServiceGroup], counters: list[CounterInfo], specs: Specs) -> bool:
    """Whether the stored configuration already is exactly `specs`."""
    wanted_groups, wanted_counters = specs
    have_groups = [(g.prefix, g.name, g.fields, g.number_width) for g in groups]
    if have_groups != [(g.prefix, g.name, g.fields, g.number_width) for g in wanted_groups]:
        return False
    prefix_of = {g.id: g.prefix for g in groups}
    have_counters = [
        (c.number, c.name, tuple(prefix_of[i] for i in c.group_ids), c.open) for c in counters
    ]
    return have_counters == [(c.number, c.name, c.groups, c.open) for c in wanted_counters]


def apply(tx: WriteTx, specs: Specs) -> None:
    """Write the configuration: upsert by prefix and by counter number, retire the rest."""
    groups, counters = specs
    ticket_repo.retire_all(tx)
    group_ids = {
        spec.prefix: ticket_repo.save_group(
            tx, spec.prefix, spec.name, spec.fields, spec.number_width, position
        )
        for position, spec in enumerate(groups)
    }
    for counter in counters:
        ids = [group_ids[p] for p in counter.groups]
        ticket_repo.save_counter(tx, counter.number, counter.name, counter.open, ids)
