"""Reading Vaka's /metrics as Prometheus would: samples by name and labels."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}


class Scrape:
    def __init__(self, text: str) -> None:
        self.text = text
        self.samples: dict[str, list[tuple[dict[str, str], float]]] = {}
        self.declared: set[str] = set()  # every series name the families promise
        for family in text_string_to_metric_families(text):
            self.declared.update(f"{family.name}{suffix}" for suffix in _SUFFIXES.get(
                family.type, ("",)))
            for sample in family.samples:
                self.samples.setdefault(sample.name, []).append((sample.labels, sample.value))

    def value(self, name: str, **labels: str) -> float:
        """The sum of the samples of `name` whose labels include `labels` (0 if none)."""
        return sum(value for found, value in self.samples.get(name, [])
                   if all(found.get(k) == v for k, v in labels.items()))

    def has(self, name: str, **labels: str) -> bool:
        return any(all(found.get(k) == v for k, v in labels.items())
                   for found, _ in self.samples.get(name, []))

    @property
    def names(self) -> set[str]:
        return set(self.samples)
