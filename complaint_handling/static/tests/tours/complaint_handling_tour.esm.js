import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/**
 * A complaint handler records a complaint in the back office, acknowledges it and
 * completes its initial assessment (ISO 10002 7.2, 7.4, 7.5).
 * Started by complaint_handling/tests/test_ui.py, which creates the records used here.
 */
registry.category("web_tour.tours").add("complaint_handling_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Complaints app",
            trigger: '.o_app[data-menu-xmlid="complaint_handling.complaint_menu_root"]',
            run: "click",
        },
        {
            content: "Create a new complaint",
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Write the subject",
            trigger: '.o_form_view .o_field_widget[name="subject"] input',
            run: "edit Tour: the kettle leaks",
        },
        {
            content: "Look for the complainant",
            trigger: '.o_field_widget[name="partner_id"] input',
            run: "edit Tour Complainant",
        },
        {
            content: "Pick the complainant",
            trigger:
                '.o_field_widget[name="partner_id"] .o-autocomplete--dropdown-item a:contains("Tour Complainant")',
            run: "click",
        },
        {
            content: "The complainant's contact details are copied",
            trigger:
                '.o_field_widget[name="complainant_name"] input:value("Tour Complainant")',
        },
        {
            content: "Received by phone",
            trigger: '.o_field_widget[name="channel"] select',
            // Odoo 18's "select" action picks the option by its value: a selection field's options
            // carry their key JSON-encoded, hence the quotes.
            run: 'select "phone"',
        },
        {
            content: "The channel is now Phone (the default was Other)",
            trigger:
                '.o_field_widget[name="channel"] select:has(option:selected:contains("Phone"))',
        },
        {
            content: "Set the team",
            trigger: '.o_field_widget[name="team_id"] input',
            run: "edit Tour Team",
        },
        {
            content: "Pick the team",
            trigger:
                '.o_field_widget[name="team_id"] .o-autocomplete--dropdown-item a:contains("Tour Team")',
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "The new complaint is in the first stage",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("New")',
        },
        {
            content: "Acknowledge the complaint",
            trigger: '.o_statusbar_buttons button[name="action_acknowledge"]',
            run: "click",
        },
        {
            content: "The complaint is acknowledged",
            trigger:
                '.o_statusbar_status button[aria-checked="true"]:contains("Acknowledged")',
        },
        {
            content: "Open the Assessment tab",
            trigger: '.o_notebook a.nav-link[name="assessment"]',
            run: "click",
        },
        {
            content: "Look for the category",
            trigger: '.o_field_widget[name="category_id"] input',
            run: "edit Tour Category",
        },
        {
            content: "Pick the category",
            trigger:
                '.o_field_widget[name="category_id"] .o-autocomplete--dropdown-item a:contains("Tour Category")',
            run: "click",
        },
        {
            content: "Look for the severity",
            trigger: '.o_field_widget[name="severity_id"] input',
            run: "edit High",
        },
        {
            content: "Pick the severity",
            trigger:
                '.o_field_widget[name="severity_id"] .o-autocomplete--dropdown-item a:contains("High")',
            run: "click",
        },
        {
            content: "The complaint is in scope",
            trigger:
                '.o_field_widget[name="scope_decision"] input[data-value="in_scope"]',
            run: "click",
        },
        {
            content: "Complete the assessment",
            trigger: '.o_statusbar_buttons button[name="action_assess"]',
            run: "click",
        },
        {
            content: "The complaint is assessed",
            trigger:
                '.o_statusbar_status button[aria-checked="true"]:contains("Assessed")',
        },
        {
            content: "Its assessment date is shown and the form is saved",
            trigger: '.o_form_saved .o_field_widget[name="date_assessed"]',
        },
    ],
});
