# The example webapp charm (examples/webapp/src), written with ops as a Python author would, so
# that bench/harness.ts can pair a whole test of ours against ops.testing's on the same hook.
# It makes the same decisions on the same world: the port option, the session key the leader
# shares in the peer relation, the database's endpoint and readiness, then the port opened and
# the statuses set (the application's too, on the leader).
import secrets

import ops


class WebappCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        for event in (
            self.on.install,
            self.on.config_changed,
            self.on.update_status,
            self.on.database_relation_changed,
            self.on.replicas_relation_changed,
        ):
            framework.observe(event, self._reconcile)

    def _set(self, status: ops.StatusBase) -> None:
        self.unit.status = status
        if self.unit.is_leader():
            self.app.status = status

    def _reconcile(self, _event: ops.EventBase) -> None:
        port = self.config.get("port")
        if not isinstance(port, int) or port <= 0:
            self._set(ops.BlockedStatus('Set the "port" option: juju config webapp port=8080'))
            return
        peers = self.model.get_relation("replicas")
        if peers is None:
            self._set(ops.WaitingStatus("Waiting for the peer relation"))
            return
        key = peers.data[self.app].get("session-key")
        if key is None:
            if not self.unit.is_leader():
                self._set(ops.WaitingStatus("Waiting for the leader to share the session key"))
                return
            peers.data[self.app]["session-key"] = secrets.token_hex(32)
        database = self.model.get_relation("database")
        if database is None:
            self._set(ops.BlockedStatus("Add a database: juju integrate webapp postgresql"))
            return
        units = sorted(database.units, key=lambda unit: unit.name)
        data = database.data[units[0]] if units else {}
        endpoint = data.get("endpoint")
        if endpoint is None:
            self._set(ops.WaitingStatus("Waiting for the database to share its endpoint"))
            return
        self.unit.status = ops.MaintenanceStatus(f"Connecting to {endpoint}")
        if data.get("ready") != "true":
            self._set(ops.WaitingStatus("Waiting for the database to accept connections"))
            return
        self.unit.status = ops.MaintenanceStatus(f"Starting the web server on port {port}")
        self.unit.set_ports(port)
        self._set(ops.ActiveStatus(f"Serving on :{port}"))
