"""How apps to the right of privacy (media_sharing, messaging, absences) take part in export,
erasure and retention without privacy importing them (the layers point one way).

Each app registers its callables in its AppConfig.ready():

    from privacy import hooks
    hooks.register_export("absences", absences.services.export_for_user)
    hooks.register_erasure(media_sharing.services.erase_uploads_of)
    hooks.register_retention("messaging", messaging.services.purge_before)

- export(user) -> JSON-serialisable data about that user only (never other children or
  other parents' contact details); it becomes a section of data.json and of the HTML page;
- erasure(user) -> None, runs inside the erasure's transaction: remove the person's uploads
  (files after commit) and keep shared posts, which then show the emptied account;
- retention(school, cutoff) -> number of items deleted: the school's content created
  before `cutoff`.
"""

from collections.abc import Callable

_export: dict[str, Callable] = {}
_erasure: list[Callable] = []
_retention: dict[str, Callable] = {}


def register_export(name: str, collect: Callable) -> None:
    _export[name] = collect


def register_erasure(erase: Callable) -> None:
    if erase not in _erasure:
        _erasure.append(erase)


def register_retention(name: str, purge: Callable) -> None:
    _retention[name] = purge


def export_sections(user) -> dict:
    return {name: collect(user) for name, collect in sorted(_export.items())}


def erase(user) -> None:
    for handler in _erasure:
        handler(user)


def retention_purgers() -> dict[str, Callable]:
    return dict(sorted(_retention.items()))
