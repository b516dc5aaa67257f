import random
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tools import SQL

from odoo.addons.complaint_handling.tests.common import ComplaintCase

NOW = datetime(2026, 6, 15, 12, 0, 0)


class TestRecurring(ComplaintCase):
    """Recurring problems: same product, category, root cause or complainant within the company's window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"complaint_recurring_days": 30, "complaint_recurring_threshold": 3})
        cls.kettle = cls.env["product.product"].create({"name": "Recurring Test Kettle"})
        cls.cause = cls.env["complaint.cause"].create({"name": "Recurring Test Weak Seal"})
        cls.customer = cls.env["res.partner"].create({"name": "Recurring Customer Ltd", "is_company": True})
        cls.contacts = cls.env["res.partner"].create(
            [
                {"name": f"Recurring Contact {i}", "email": f"rc{i}@example.com", "parent_id": cls.customer.id}
                for i in range(2)
            ]
        )
        # One stranger per complaint, so that only the dimension under test recurs.
        cls.strangers = cls.env["res.partner"].create(
            [{"name": f"Recurring Stranger {i}", "email": f"rs{i}@example.com"} for i in range(12)]
        )

    def _complaints(self, days_ago, **vals):
        """Complaints received ``days_ago`` (a list of days) before NOW, one stranger each."""
        return self.env["complaint.complaint"].create(
            [
                {
                    "subject": f"Recurring test {i}",
                    "partner_id": self.strangers[i].id,
                    "date_received": NOW - timedelta(days=days),
                    **vals,
                }
                for i, days in enumerate(days_ago)
            ]
        )

    @freeze_time(NOW)
    def test_threshold_reached_flags_the_whole_cluster(self):
        first = self._complaints([10, 5], product_id=self.kettle.id)
        self.assertFalse(any(first.mapped("is_recurring")), "2 complaints are under the threshold of 3")
        third = self._complaints([1], product_id=self.kettle.id)
        everything = first | third
        self.assertEqual(everything.mapped("is_recurring"), [True] * 3)
        self.assertEqual(set(everything.mapped("recurring_keys")), {"product"})
        self.assertIn("Recurring Test Kettle", third.recurring_reason)
        self.assertIn("3 complaints", third.recurring_reason)

    @freeze_time(NOW)
    def test_window_edges(self):
        # 30 days: the complaint of 30 days ago (minus a minute) is in the window, 31 days ago is not.
        inside = self._complaints([29, 20], root_cause_id=self.cause.id)
        edge = self.env["complaint.complaint"].create(
            {
                "subject": "At the edge",
                "partner_id": self.strangers[10].id,
                "date_received": NOW - timedelta(days=30) + timedelta(minutes=1),
                "root_cause_id": self.cause.id,
            }
        )
        outside = self.env["complaint.complaint"].create(
            {
                "subject": "Too old",
                "partner_id": self.strangers[11].id,
                "date_received": NOW - timedelta(days=31),
                "root_cause_id": self.cause.id,
            }
        )
        self.assertEqual((inside | edge).mapped("is_recurring"), [True] * 3)
        self.assertEqual(set((inside | edge).mapped("recurring_keys")), {"cause"})
        self.assertFalse(outside.is_recurring)

    def test_window_slides_with_the_daily_job(self):
        with freeze_time(NOW):
            complaints = self._complaints([20, 10, 2], product_id=self.kettle.id)
            self.assertTrue(all(complaints.mapped("is_recurring")))
        with freeze_time(NOW + timedelta(days=15)):
            # The oldest is 35 days old: the cluster falls to 2 complaints.
            self.env["complaint.complaint"]._cron_refresh_recurring()
            self.assertEqual(complaints.mapped("is_recurring"), [False] * 3)
            self.assertFalse(any(complaints.mapped("recurring_keys")))

    @freeze_time(NOW)
    def test_write_moves_complaints_out_of_a_cluster(self):
        complaints = self._complaints([3, 2, 1], product_id=self.kettle.id)
        self.assertTrue(all(complaints.mapped("is_recurring")))
        complaints[0].product_id = self.product
        self.assertEqual(complaints.mapped("is_recurring"), [False] * 3)
        complaints[0].product_id = self.kettle
        self.assertEqual(complaints.mapped("is_recurring"), [True] * 3)
        complaints[1].product_id = False
        self.assertEqual(complaints.mapped("recurring_keys"), [False] * 3, "a value removed leaves the cluster")

    @freeze_time(NOW)
    def test_rejected_and_archived_do_not_count(self):
        complaints = self._complaints([3, 2, 1], product_id=self.kettle.id)
        self._advance(complaints[0], "rejected")
        self.assertEqual(complaints.mapped("is_recurring"), [False] * 3)
        complaints[0].action_reopen(reason="Wrongly rejected")
        self.assertEqual(complaints.mapped("is_recurring"), [True] * 3)
        complaints[1]._set_active(False, "Registered twice")
        self.assertFalse(complaints[2].is_recurring)

    @freeze_time(NOW)
    def test_same_complainant_is_the_commercial_entity(self):
        complaints = self.env["complaint.complaint"].create(
            [
                {"subject": "A", "partner_id": self.contacts[0].id, "date_received": NOW - timedelta(days=3)},
                {"subject": "B", "partner_id": self.contacts[1].id, "date_received": NOW - timedelta(days=2)},
                {"subject": "C", "partner_id": self.customer.id, "date_received": NOW - timedelta(days=1)},
            ]
        )
        self.assertEqual(set(complaints.mapped("recurring_keys")), {"partner"})
        self.assertIn("Recurring Customer Ltd", complaints[0].recurring_reason)

    @freeze_time(NOW)
    def test_several_reasons(self):
        complaints = self._complaints([3, 2, 1], product_id=self.kettle.id, root_cause_id=self.cause.id)
        self.assertEqual(set(complaints.mapped("recurring_keys")), {"product,cause"})
        reason = complaints[0].recurring_reason
        self.assertIn("Same product", reason)
        self.assertIn("Same root cause", reason)

    @freeze_time(NOW)
    def test_partial_refresh_keeps_other_clusters(self):
        category = self.env["complaint.category"].create({"name": "Recurring Test Lids"})
        by_product = self._complaints([5, 4, 3], product_id=self.kettle.id)
        by_category = self.env["complaint.complaint"].create(
            [
                {
                    "subject": f"Lid {i}",
                    "partner_id": self.strangers[5 + i].id,
                    "date_received": NOW - timedelta(days=2),
                    "category_id": category.id,
                }
                for i in range(2)
            ]
        )
        by_product[0].category_id = category
        self.assertEqual(by_product[0].recurring_keys, "product,category")
        # Only the product cluster is touched: the category count of the first complaint is kept.
        by_product[2].product_id = self.product
        self.assertEqual(by_product[0].recurring_keys, "category")
        self.assertEqual(by_product[1].recurring_keys, False)
        self.assertEqual(set(by_category.mapped("recurring_keys")), {"category"})

    @freeze_time(NOW)
    def test_batch_refresh_costs_the_same_for_many_complaints(self):
        Complaint = self.env["complaint.complaint"]
        small = self._complaints([3, 2, 1], product_id=self.kettle.id)
        big_product = self.env["product.product"].create({"name": "Recurring Test Toaster"})
        big = self._complaints([9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 1, 1], product_id=big_product.id)
        self.env.flush_all()
        queries = []
        for complaints in (small, big):
            # Reset the flags by SQL, then measure one refresh.
            self.env.cr.execute(
                SQL(
                    "UPDATE complaint_complaint SET is_recurring = NULL, recurring_keys = NULL WHERE id = ANY(%s)",
                    complaints.ids,
                )
            )
            complaints.invalidate_recordset()
            before = self.env.cr.sql_log_count
            complaints._refresh_recurring()
            self.env.flush_all()
            queries.append(self.env.cr.sql_log_count - before)
            self.assertTrue(all(complaints.mapped("is_recurring")))
        self.assertEqual(queries[0], queries[1], "the refresh must not run a query per complaint")
        self.assertLessEqual(queries[1], 6)
        self.assertEqual(Complaint.search_count([("id", "in", big.ids), ("is_recurring", "=", True)]), 12)

    def _disagreements(self, complaints):
        """{id: keys the daily job would set} of ``complaints`` whose flags differ from a full refresh now."""
        self.env.flush_all()
        changes = self.env["complaint.complaint"]._recurring_changes_full(NOW)
        return {complaint_id: keys for complaint_id, keys in changes.items() if complaint_id in complaints.ids}

    @freeze_time(NOW)
    def test_joining_a_recurring_cluster_rereads_only_the_new_complaints(self):
        old = self._complaints([9, 8, 7, 6], product_id=self.kettle.id)
        self.assertEqual(old.mapped("recurring_keys"), ["product"] * 4)
        new = self._complaints([1, 1], product_id=self.kettle.id)
        self.assertEqual(new.mapped("recurring_keys"), ["product"] * 2)
        now = NOW
        touched = new._recurring_values()
        sizes = new._recurring_cluster_sizes(now, touched, self.company)
        kettle = ("product", self.company.id, self.kettle.id)
        self.assertEqual(sizes[kettle], (6, 3))
        # 4 complaints without the new ones, threshold 3: recurring before and after, nothing to reread.
        self.assertNotIn(kettle, new._recurring_unsettled_clusters(sizes))
        # Each stranger has one complaint: under the threshold, their clusters are reread (and stay clean).
        self.assertTrue(all(key[0] == "partner" for key in new._recurring_unsettled_clusters(sizes)))
        self.assertEqual(self._disagreements(old | new), {})

    @freeze_time(NOW)
    def test_incremental_refresh_agrees_with_the_daily_job(self):
        """Random creates and writes: after each, the flags equal what the full refresh computes."""
        Complaint = self.env["complaint.complaint"]
        rng = random.Random(10002)
        products = self.kettle | self.product
        categories = self.env["complaint.category"].create([{"name": f"Recurring Random {i}"} for i in range(2)])
        partners = self.contacts | self.customer | self.strangers[:3]
        complaints = Complaint

        def random_values():
            return {
                "product_id": rng.choice([False, *products.ids]),
                "category_id": rng.choice([False, *categories.ids]),
                "root_cause_id": rng.choice([False, self.cause.id]),
                "partner_id": rng.choice(partners.ids),
                "date_received": NOW - timedelta(days=rng.choice([0, 5, 20, 29, 31, 40])),
            }

        for step in range(40):
            operation = rng.choice(["create", "create", "write", "move", "archive", "reject"])
            if operation == "create" or not complaints:
                complaints |= Complaint.create(
                    [{"subject": f"Random {step}", **random_values()} for _i in range(rng.randint(1, 4))]
                )
            elif operation == "write":
                field, value = rng.choice(list(random_values().items()))
                complaints.filtered("active")[: rng.randint(1, 3)].write({field: value})
            elif operation == "move":
                rng.choice(complaints).write(random_values())
            elif operation == "archive":
                complaint = rng.choice(complaints)
                complaint.active = not complaint.active
            elif complaints.filtered(lambda c: c.active and c.state == "received"):
                self._advance(rng.choice(complaints.filtered(lambda c: c.active and c.state == "received")), "rejected")
            self.assertEqual(self._disagreements(complaints), {}, f"step {step}: {operation}")
        self.assertTrue(any(complaints.mapped("is_recurring")), "the random data must make clusters")

    @freeze_time(NOW)
    def test_recurring_problems_list_and_search(self):
        complaints = self._complaints([6, 4, 2, 1], product_id=self.kettle.id)
        clusters = self.env["complaint.recurring.report"].search([("product_id", "=", self.kettle.id)])
        self.assertEqual(len(clusters), 1)
        self.assertEqual(clusters.dimension, "product")
        self.assertEqual(clusters.complaint_count, 4)
        self.assertEqual(clusters.complaint_ids, complaints)
        self.assertEqual(clusters.date_first, NOW - timedelta(days=6))
        self.assertEqual(clusters.value, "Recurring Test Kettle")
        self.assertEqual(
            self.env["complaint.complaint"].search([("is_recurring", "=", True), ("product_id", "=", self.kettle.id)]),
            complaints,
        )
        action = clusters.action_create_improvement_action()
        self.assertEqual(action["context"]["default_complaint_ids"], complaints.ids)

    @freeze_time(NOW)
    def test_settings_change_refreshes_every_complaint(self):
        complaints = self._complaints([3, 2], product_id=self.kettle.id)
        self.assertFalse(any(complaints.mapped("is_recurring")))
        settings = self.env["res.config.settings"].create({"complaint_recurring_threshold": 2})
        settings.execute()
        self.assertEqual(complaints.mapped("is_recurring"), [True, True])
