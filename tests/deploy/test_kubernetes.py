"""The Kubernetes manifests against Kubernetes' own JSON schemas (bundled by the
kubernetes-validate package, strict: an unknown field is an error), and the values for
Temporal's Helm chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import need
from tests.deploy.tools import DEPLOY
from vaka.config import Settings

KUBERNETES = DEPLOY / "kubernetes"
MANIFESTS = sorted(p for p in KUBERNETES.glob("*.yaml")
                   if p.name not in ("kustomization.yaml", "temporal-values.yaml"))
# The oldest Kubernetes still commonly run by municipalities' providers, and the newest.
VERSIONS = ["1.30.0", "1.37.0"]
PROCESSES = {"api", "worker", "relay", "projector"}


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _deployments() -> dict[str, dict[str, Any]]:
    found = {}
    for path in MANIFESTS:
        for doc in _documents(path):
            if doc["kind"] == "Deployment":
                found[doc["spec"]["template"]["spec"]["containers"][0]["args"][0]] = doc
    return found


def _validate(document: dict[str, Any], version: str) -> None:
    try:
        import kubernetes_validate
    except ImportError:
        need("kubernetes-validate is not installed (pip install kubernetes-validate)")
    kubernetes_validate.validate(document, version, strict=True)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_each_manifest_is_valid_kubernetes(path: Path, version: str) -> None:
    for document in _documents(path):
        _validate(document, version)


def test_a_misspelt_field_is_refused() -> None:
    """The check above can fail: strict validation knows every field."""
    import kubernetes_validate

    deployment = _deployments()["relay"]
    deployment["spec"]["replica"] = deployment["spec"].pop("replicas")
    with pytest.raises(kubernetes_validate.ValidationError, match="replica"):
        _validate(deployment, VERSIONS[-1])


def test_kustomize_applies_every_manifest_in_the_folder() -> None:
    listed = set(yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in MANIFESTS}


def test_each_process_runs_as_a_non_root_user_with_a_read_only_root_and_requests() -> None:
    deployments = _deployments()
    assert set(deployments) == PROCESSES
    for process, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert pod["securityContext"]["runAsNonRoot"] is True, process
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, process
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, process
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), process
        assert {"configMapRef": {"name": "vaka-config"}} in container["envFrom"], process
        assert {"secretRef": {"name": "vaka-secrets"}} in container["envFrom"], process


def test_the_api_is_live_and_ready_by_its_health_endpoints() -> None:
    container = _deployments()["api"]["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"


def test_every_setting_in_the_configmap_is_one_vaka_reads() -> None:
    known = {f"VAKA_{name.upper()}" for name in Settings.model_fields}
    configmap = _documents(KUBERNETES / "configmap.yaml")[0]
    unknown = set(configmap["data"]) - known
    assert unknown == set()


# ---- Temporal's Helm chart ----

def _temporal_values() -> dict[str, Any]:
    return yaml.safe_load((KUBERNETES / "temporal-values.yaml").read_text())  # type: ignore[no-any-return]


def test_temporal_keeps_its_history_and_visibility_on_postgresql() -> None:
    persistence = _temporal_values()["server"]["config"]["persistence"]
    stores = persistence["datastores"]
    assert {persistence["defaultStore"], persistence["visibilityStore"]} == set(stores)
    for store in stores.values():
        assert store["sql"]["pluginName"] == "postgres12"
        assert "password" not in store["sql"], "the password belongs in a Secret"
        assert store["sql"]["existingSecret"]


def test_temporal_values_use_no_key_the_chart_removed() -> None:
    """Chart 1.x fails on the top-level keys of its former bundled databases."""
    removed = {"cassandra", "mysql", "postgresql", "elasticsearch", "prometheus", "grafana"}
    assert removed.isdisjoint(_temporal_values())


def test_the_temporal_namespace_vaka_uses_is_created() -> None:
    configmap = _documents(KUBERNETES / "configmap.yaml")[0]["data"]
    namespaces = _temporal_values()["server"]["config"]["namespaces"]
    assert namespaces["create"] is True
    assert configmap["VAKA_TEMPORAL_NAMESPACE"] in {n["name"] for n in namespaces["namespace"]}
    assert configmap["VAKA_TEMPORAL_ADDRESS"].startswith("temporal-frontend.")


def test_the_temporal_ui_is_given_a_codec_endpoint_setting() -> None:
    env = {e["name"] for e in _temporal_values()["web"]["additionalEnv"]}
    assert "TEMPORAL_CODEC_ENDPOINT" in env
