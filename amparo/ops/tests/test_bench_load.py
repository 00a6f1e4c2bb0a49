"""The load test's fault option: the figures it gives from the requests' samples, and the
private PostgreSQL cluster it restarts (never the machine's own)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import sys
import tempfile
from argparse import Namespace
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture(scope="module")
def load():
    sys.path.insert(0, str(BENCH))
    loader = importlib.machinery.SourceFileLoader("bench_load", str(BENCH / "load"))
    spec = importlib.util.spec_from_loader("bench_load", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    yield module
    sys.path.remove(str(BENCH))


def test_fault_figures_count_outage_errors_and_the_time_to_recover(load) -> None:
    sample = load.Sample
    times = {"stop_begin": 100.0, "stopped": 100.5, "back": 106.0}
    samples = [
        sample(99.0, "home", 20),  # before: fine
        sample(100.2, "home", 30, "HTTP 503"),
        sample(101.0, "save organization", 10, "HTTP 503"),
        sample(103.0, "home", 5, "ConnectionResetError"),
        sample(104.0, "home", 15),  # a page that needed no database
        sample(106.5, "home", 500, "HTTP 503"),  # a stale connection, once
        sample(107.5, "home", 40),
        sample(108.0, "home", 40),
    ]
    figures = load.fault_figures(samples, times, Namespace())
    assert figures == {
        "outage_seconds": 6.0,
        "requests_during_outage": 4,
        "errors_during_outage": 3,
        "errors_during_outage_by_kind": {"HTTP 503": 2, "ConnectionResetError": 1},
        "errors_after_database_back": 1,
        "seconds_to_recover": 1.0,
        "first_success_after_back_seconds": 1.54,
        "http_500": 0,
    }


def test_no_error_after_the_restart_means_zero_seconds_to_recover(load) -> None:
    times = {"stop_begin": 10.0, "stopped": 10.1, "back": 12.0}
    figures = load.fault_figures([load.Sample(12.5, "home", 10)], times, Namespace())
    assert figures["seconds_to_recover"] == 0.0
    assert figures["first_success_after_back_seconds"] == 0.51
    assert figures["errors_during_outage"] == 0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("initdb") is None, reason="no PostgreSQL server binaries")
def test_the_private_cluster_is_its_own_and_restarts(load) -> None:
    psycopg = pytest.importorskip("psycopg")
    cluster = load.PrivateCluster()
    try:
        assert cluster.port != 5432
        assert cluster.root.parent == Path(tempfile.gettempdir())
        cluster.start()
        with psycopg.connect(f"{cluster.url}/postgres") as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
        cluster.stop()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(f"{cluster.url}/postgres", connect_timeout=2)
        cluster.start()
        with psycopg.connect(f"{cluster.url}/postgres") as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        cluster.remove()
    assert not cluster.root.exists()
