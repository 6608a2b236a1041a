# Runs whole ops.testing tests of charm.py's config-changed, one per line read from stdin, and
# answers each with the milliseconds it took, timed here (so the pipe is not counted: the
# figure flatters ops, never us). A whole test is what a Python author writes per test: a
# Context, a State, one run, the output checked. The charm's metadata is read once, at start,
# as our simulator reads a charm's metadata once per file.
import pathlib
import sys
import time

import ops
import yaml
from ops import testing

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from charm import WebappCharm  # noqa: E402

charmcraft = yaml.safe_load(pathlib.Path(sys.argv[1]).read_text())
META = {k: charmcraft[k] for k in ("name", "requires", "peers") if k in charmcraft}
CONFIG = charmcraft.get("config", {})
ACTIONS = charmcraft.get("actions", {})


def whole_test() -> None:
    ctx = testing.Context(WebappCharm, meta=META, config=CONFIG, actions=ACTIONS)
    state = testing.State(
        leader=True,
        config={"port": 8080},
        relations={
            testing.PeerRelation("replicas"),
            testing.Relation(
                "database",
                remote_units_data={0: {"endpoint": "10.0.0.7:5432", "ready": "true"}},
            ),
        },
    )
    out = ctx.run(ctx.on.config_changed(), state)
    if out.unit_status != testing.ActiveStatus("Serving on :8080"):
        raise SystemExit(f"config-changed did not serve: {out.unit_status}")


print(f"ready ops {ops.__version__} on Python {sys.version.split()[0]}", flush=True)
for line in sys.stdin:
    start = time.perf_counter_ns()
    whole_test()
    print((time.perf_counter_ns() - start) / 1e6, flush=True)
