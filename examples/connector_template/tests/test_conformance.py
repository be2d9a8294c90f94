"""The conformance kit explores our connector by itself: thousands of generated shifts, the model as oracle.

The driver says how our connector sees each thing that happens in a contact centre, in our
ACD's own words (``RINGING``, ``TALKING``, ``ON_CALL``…). Transitions it leaves out (a link
drop, a consult call) are never drawn; the run's summary lists them.
"""

from __future__ import annotations

from acme_connector import AcmeConnector

from pytest_snapshot_cti.conformance import ConnectorConformance, Driver


class AcmeDriver(Driver):
    """Our ACD, as seen by our connector: its call states, and its agent states (ON_CALL while a call is up)."""

    def start(self, forward_event):
        self.connector = AcmeConnector(forward_event)
        self.callers: dict[str, str] = {}
        self.talking = False  # ON_CALL: from the first answered call until the last call ends
        self.wanted = ("AWAY", "")  # the agent state to return to when it does

    def login(self, agent_id, extension):
        self.connector.login(agent_id, extension)

    def logout(self, reason_code):
        self.connector.logout(reason_code)

    # -- agent: while a call is up the ACD says ON_CALL and remembers what the agent asked for --
    def ready(self):
        self._agent("AVAILABLE", "")

    def not_ready(self, reason_code):
        self._agent("AWAY", reason_code)

    def after_call_work(self):
        self._agent("AWAY", "ACW")

    def _agent(self, state, reason):
        self.wanted = (state, reason)
        if not self.talking:
            self.connector.on_agent(state, reason)

    # -- calls ---------------------------------------------------------------------------------
    def call_offered(self, call_id, caller):
        self.callers[call_id] = caller
        self.connector.on_call(call_id, "RINGING", caller=caller)

    def answer(self, call_id):
        self.talking = True
        self.connector.on_agent("ON_CALL")
        self.connector.on_call(call_id, "TALKING", caller=self.callers[call_id])

    def hold(self, call_id):
        self.connector.on_call(call_id, "HELD", caller=self.callers[call_id])

    def retrieve(self, call_id):
        self.connector.on_call(call_id, "TALKING", caller=self.callers[call_id])

    def caller_hangs_up(self, call_id):
        self._ended(call_id)

    def hang_up(self, call_id):
        self._ended(call_id)

    def abandoned(self, call_id):
        self._ended(call_id)

    def _ended(self, call_id):
        self.connector.on_call(call_id, "IDLE", caller=self.callers.pop(call_id))
        if not self.callers and self.talking:
            self.talking = False
            self.connector.on_agent(*self.wanted)


class TestAcmeConformance(ConnectorConformance):
    driver = AcmeDriver
