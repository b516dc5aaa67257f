import {registry} from "@web/core/registry";

/**
 * The activity view of the complaints: scheduling is offered to who may schedule (a handler) and not
 * to a read-only auditor. Started by complaint_handling/tests/test_ui.py.
 */
registry.category("web_tour.tours").add("complaint_activity_view_can_schedule_tour", {
    url: "/odoo/complaints?view_type=activity",
    steps: () => [
        {
            content: "The activity view offers to schedule an activity",
            trigger: ".o_activity_view tfoot .o_record_selector",
        },
        {
            content: "An empty cell offers to create one",
            // The icon shows on hover
            trigger: ".o_activity_view .o_activity_empty_cell:has(i.fa-plus)",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_activity_view_read_only_tour", {
    url: "/odoo/complaints?view_type=activity",
    steps: () => [
        {
            // Odoo shows an activity only to who may write on its document (mail.activity._search),
            // so the auditor's rows are empty; the table and its header are there.
            content: "The activity view shows its activity types",
            trigger: ".o_activity_view thead .o_activity_type_cell",
        },
        {
            content: "Nothing to schedule for a read-only reader",
            trigger:
                ".o_activity_view:not(:has(tfoot .o_record_selector)):not(:has(.o_activity_empty_cell i.fa-plus))",
        },
    ],
});
