import {registry} from "@web/core/registry";

/**
 * A complaint manager opens the objectives dashboard from the Reporting menu, reads an objective's
 * card (actual against target) and opens the KPI analysis of the complaints it counts.
 * Started by complaint_handling_reports/tests/test_kpi_ui.py, which creates the objective.
 */
registry.category("web_tour.tours").add("complaint_kpi_dashboard_tour", {
    url: "/odoo/action-complaint_handling_reports.complaint_objective_action_dashboard",
    steps: () => [
        {
            content: "The objective's card shows its result",
            trigger:
                '.o_kanban_record:contains("Tour: acknowledge on time"):contains("Met")',
        },
        {
            content: "The card shows the actual percentage with its unit",
            trigger:
                '.o_kanban_record:contains("Tour: acknowledge on time") .display-6:contains("100%")',
        },
        {
            content: "... and the target with its unit",
            trigger:
                '.o_kanban_record:contains("Tour: acknowledge on time") span.text-muted:contains("90%")',
        },
        {
            content: "A count indicator shows a whole number of complaints, not 0.0",
            trigger:
                '.o_kanban_record:contains("Tour: nothing overdue") .display-6:contains("0"):not(:contains("."))',
        },
        {
            content: "Open the analysis of the objective",
            trigger:
                '.o_kanban_record:contains("Tour: acknowledge on time") button[name="action_open_analysis"]',
            run: "click",
        },
        {
            content: "The KPI analysis opens as a pivot",
            trigger: ".o_pivot_view .o_pivot",
        },
        {
            content: "Switch to the list of complaints",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The complaint counted by the objective is listed",
            trigger: '.o_list_view .o_data_row:contains("Tour KPI complaint")',
        },
    ],
});
