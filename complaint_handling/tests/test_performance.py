from odoo.tests import tagged, users, warmup

from .common import ComplaintCase

# Extra queries per additional complaint, measured between a batch of 5 and a batch of 20.
# Every state change: mail tracking of the tracked ``stage_id`` posts one mail.message and one
# mail.tracking.value per complaint (Odoo's mail.thread), on top of the batched history and log.
PER_COMPLAINT_QUERIES = {
    "state_change": 2,
    "create": 1,  # the default stage is searched once per complaint (field default)
    "approve": 1,  # one history line per decision (_log_step called in a loop)
    "record_rejection": 1,  # one history line per complaint (_log_step called in a loop)
    "record_acceptance": 0,
}


@tagged("post_install", "-at_install", "is_query_count")
class TestPerformance(ComplaintCase):
    """Query counts of the hot paths, measured as a complaint manager on batches."""

    def _batch(self, size, state, target=None):
        """``size`` complaints in ``state``, ready to enter ``target``; the cache is emptied."""
        complaints = self.env["complaint.complaint"].create(
            [
                {"subject": f"Perf {index}", "partner_id": self.partner.id, "team_id": self.team_a.id}
                for index in range(size)
            ]
        )
        self._advance(complaints, state)
        if target:
            for complaint in complaints:
                self._prepare(complaint, target)
        self.env.flush_all()
        self.env.invalidate_all()
        return complaints

    def _waiting_approval(self, size):
        complaints = self._batch(size, "investigating")
        for complaint in complaints:
            self._create_decision(complaint, remedy_type="refund", amount=5000)
        complaints.action_propose_response()
        self.env.flush_all()
        self.env.invalidate_all()
        return complaints.decision_id

    def _rejecting(self, size):
        complaints = self._batch(size, "decision_communicated")
        for complaint in complaints:
            complaint.decision_id.rejection_reason = "Not enough."
        self.env.flush_all()
        self.env.invalidate_all()
        return complaints

    def _queries(self, func):
        self.env.flush_all()
        self.env.cr.flush()
        count = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        self.env.cr.flush()
        return self.env.cr.sql_log_count - count

    def _growth(self, make_batch, operation):
        """Queries of ``operation`` on batches of 5 and 20 (after a warm-up batch of 2)."""
        self.env = self.env(user=self.manager)
        counts = []
        for size in (2, 5, 20):
            records = make_batch(size)
            counts.append(self._queries(lambda r=records: operation(r)))
        return counts[1], counts[2]

    def assertGrowth(self, counts, per_complaint):
        small, large = counts
        self.assertEqual(large - small, 15 * per_complaint, f"queries for 5 and 20 complaints: {counts}")

    # -------------------------------------------------------- exact counts (20)

    @users("ch_manager")
    @warmup
    def test_query_count_create_20(self):
        vals_list = [
            {"subject": f"Perf {index}", "partner_id": self.partner.id, "category_id": self.category_team_a.id}
            for index in range(20)
        ]
        with self.assertQueryCount(ch_manager=36):
            complaints = self.env["complaint.complaint"].create(vals_list)
        self.assertEqual(len(complaints.step_ids), 20)

    def _check_transition_count(self, state_from, state_to, expected):
        complaints = self._batch(20, state_from, state_to)
        with self.assertQueryCount(ch_manager=expected):
            self._do(complaints, state_to)
        self.assertEqual(set(complaints.mapped("state")), {state_to})

    @users("ch_manager")
    @warmup
    def test_query_count_acknowledge_20(self):
        self._check_transition_count("received", "acknowledged", 48)

    @users("ch_manager")
    @warmup
    def test_query_count_assess_20(self):
        self._check_transition_count("acknowledged", "assessed", 48)

    @users("ch_manager")
    @warmup
    def test_query_count_start_investigation_20(self):
        self._check_transition_count("assessed", "investigating", 48)

    @users("ch_manager")
    @warmup
    def test_query_count_propose_response_20(self):
        self._check_transition_count("investigating", "response_proposed", 51)

    @users("ch_manager")
    @warmup
    def test_query_count_communicate_decision_20(self):
        self._check_transition_count("response_proposed", "decision_communicated", 51)

    @users("ch_manager")
    @warmup
    def test_query_count_close_20(self):
        self._check_transition_count("decision_communicated", "closed", 49)

    @users("ch_manager")
    @warmup
    def test_query_count_reopen_20(self):
        self._check_transition_count("closed", "reopened", 48)

    @users("ch_manager")
    @warmup
    def test_query_count_withdraw_20(self):
        self._check_transition_count("investigating", "withdrawn", 48)

    @users("ch_manager")
    @warmup
    def test_query_count_reject_20(self):
        self._check_transition_count("received", "rejected", 48)

    @users("ch_manager")
    @warmup
    def test_query_count_record_acceptance_20(self):
        complaints = self._batch(20, "decision_communicated")
        with self.assertQueryCount(ch_manager=6):
            complaints.action_record_acceptance()
        self.assertEqual(set(complaints.decision_id.mapped("state")), {"accepted"})

    @users("ch_manager")
    @warmup
    def test_query_count_record_rejection_20(self):
        complaints = self._rejecting(20)
        with self.assertQueryCount(ch_manager=25):
            complaints.action_record_rejection()
        self.assertEqual(set(complaints.decision_id.mapped("state")), {"rejected"})

    @users("ch_manager")
    @warmup
    def test_query_count_approve_20(self):
        decisions = self._waiting_approval(20)
        with self.assertQueryCount(ch_manager=27):
            decisions.action_approve()
        self.assertEqual(set(decisions.mapped("state")), {"approved"})

    # ----------------------------------------------------- growth 5 -> 20

    def test_state_changes_cost_a_fixed_number_of_queries_per_complaint(self):
        for state_from, state_to in [
            ("received", "acknowledged"),
            ("acknowledged", "assessed"),
            ("assessed", "investigating"),
            ("investigating", "response_proposed"),
            ("response_proposed", "decision_communicated"),
            ("decision_communicated", "closed"),
            ("closed", "reopened"),
            ("investigating", "withdrawn"),
            ("received", "rejected"),
            ("investigating", "escalated"),
        ]:
            with self.subTest(state_from=state_from, state_to=state_to):
                counts = self._growth(
                    lambda size, f=state_from, t=state_to: self._batch(size, f, t),
                    lambda complaints, t=state_to: self._do(complaints, t),
                )
                self.assertGrowth(counts, PER_COMPLAINT_QUERIES["state_change"])

    def test_dragging_within_a_state_costs_only_the_stage_tracking(self):
        stage = self.env["complaint.stage"].create({"name": "New - waiting", "state": "received"})
        counts = self._growth(
            lambda size: self._batch(size, "received"), lambda complaints: complaints.write({"stage_id": stage.id})
        )
        self.assertGrowth(counts, PER_COMPLAINT_QUERIES["state_change"])

    def test_record_acceptance_query_count_does_not_grow(self):
        small, large = self._growth(
            lambda size: self._batch(size, "decision_communicated"),
            lambda complaints: complaints.action_record_acceptance(),
        )
        self.assertEqual(small, large)
        self.assertEqual(PER_COMPLAINT_QUERIES["record_acceptance"], 0)

    def test_record_rejection_query_growth(self):
        counts = self._growth(self._rejecting, lambda complaints: complaints.action_record_rejection())
        self.assertGrowth(counts, PER_COMPLAINT_QUERIES["record_rejection"])

    def test_approve_query_growth(self):
        counts = self._growth(self._waiting_approval, lambda decisions: decisions.action_approve())
        self.assertGrowth(counts, PER_COMPLAINT_QUERIES["approve"])

    def test_create_query_growth(self):
        def create(size):
            self.env.invalidate_all()
            return [{"subject": f"Perf {index}", "partner_id": self.partner.id} for index in range(size)]

        counts = self._growth(create, lambda vals_list: self.env["complaint.complaint"].create(vals_list))
        self.assertGrowth(counts, PER_COMPLAINT_QUERIES["create"])
