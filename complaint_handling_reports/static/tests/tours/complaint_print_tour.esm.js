import {registry} from "@web/core/registry";

/**
 * An auditor finds the printed documents of a complaint in its Print menu, then opens the
 * audit report wizard from Complaints > Reporting. Started by tests/test_printed_reports.py.
 */
registry.category("web_tour.tours").add("complaint_print_tour", {
    steps: () => [
        {
            content: "The complaint is open",
            trigger:
                '.o_form_view .o_field_widget[name="subject"]:contains("Tour: printed kettle")',
        },
        {
            content: "Open the actions menu",
            trigger: ".o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            content: "Open the Print menu",
            trigger: ".o-dropdown--menu button:has(i.fa-print)",
            run: "click",
        },
        {
            content: "The acknowledgement letter can be printed",
            trigger:
                '.o-dropdown--menu .o_menu_item:contains("Acknowledgement Letter")',
        },
        {
            content: "The decision letter can be printed",
            trigger: '.o-dropdown--menu .o_menu_item:contains("Decision Letter")',
        },
        {
            content: "The complaint record can be printed",
            trigger: '.o-dropdown--menu .o_menu_item:contains("Complaint Record")',
        },
        {
            content: "Open the Reporting menu",
            trigger:
                '.o_menu_sections button[data-menu-xmlid="complaint_handling.complaint_menu_reporting"]',
            run: "click",
        },
        {
            content: "Open the audit report wizard",
            trigger:
                '.o-dropdown--menu .dropdown-item[data-menu-xmlid="complaint_handling_reports.complaint_audit_wizard_menu"]',
            run: "click",
        },
        {
            content: "The wizard asks for the period",
            trigger: '.modal .o_form_view .o_field_widget[name="date_from"]',
        },
        {
            content: "Close the wizard",
            trigger: ".modal .modal-footer button.btn-secondary",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
