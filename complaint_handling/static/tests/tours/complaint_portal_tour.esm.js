import {registry} from "@web/core/registry";

/**
 * The complainant's side (ISO 10002 7.2-7.9, ISO 10003, ISO 10004), in a browser without login.
 * Started by complaint_handling/tests/test_portal.py, which creates the records used here.
 */

function attachFile(name, content) {
    return function () {
        const transfer = new DataTransfer();
        transfer.items.add(new File([content], name, {type: "text/plain"}));
        this.anchor.files = transfer.files;
        this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
    };
}

registry.category("web_tour.tours").add("complaint_portal_submit_tour", {
    url: "/complaint",
    steps: () => [
        {
            content: "The published promises are shown",
            trigger:
                "section:contains('We acknowledge your complaint within 1 working day.')",
        },
        {
            content: "Name",
            trigger: "input#complainant_name",
            run: "edit Tour Web Complainant",
        },
        {
            content: "E-mail",
            trigger: "input#complainant_email",
            run: "edit tour.web.complainant@example.com",
        },
        {
            content: "Preferred contact channel",
            trigger: "select#contact_channel",
            run: "select email",
        },
        {
            content: "Subject",
            trigger: "input#subject",
            run: "edit Tour: parcel arrived broken",
        },
        {
            content: "Description",
            trigger: "textarea#description",
            run: "edit The box was crushed and the vase inside is broken.",
        },
        {
            content: "Remedy wanted",
            trigger: "textarea#remedy_requested",
            run: "edit A new vase, please.",
        },
        {
            content: "A photo of the damage",
            trigger: "input#attachments",
            run: attachFile("damage.txt", "photo of the broken vase"),
        },
        {
            content: "Send without consent: refused with a clear message",
            trigger: "button#complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The consent is asked for",
            trigger: "#consent_data_processing_error:contains('consent')",
        },
        {
            content: "What was typed is kept",
            trigger: "input#subject:value('Tour: parcel arrived broken')",
        },
        {
            content: "Consent",
            trigger: "input#consent_data_processing",
            run: "check",
        },
        {
            content: "The file again",
            trigger: "input#attachments",
            run: attachFile("damage.txt", "photo of the broken vase"),
        },
        {
            content: "Send",
            trigger: "button#complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The confirmation gives the reference",
            trigger: ".o_complaint_reference:contains('CMP/')",
        },
        {
            content: "Follow the complaint",
            trigger: "a:contains('Follow my complaint')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tracking page shows the complaint and its file",
            trigger:
                ".o_complaint_message:contains('Files sent with the complaint.') a:contains('damage.txt')",
        },
        {
            content: "Add information",
            trigger: "textarea#complaint_message",
            run: "edit The courier's reference is XYZ-42.",
        },
        {
            content: "With a file",
            trigger: "input#complaint_message_files",
            run: attachFile("courier.txt", "courier receipt"),
        },
        {
            content: "Send the information",
            trigger: "button#complaint_send_message",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The message and its file are on the page",
            trigger:
                ".o_complaint_message:contains('XYZ-42') a:contains('courier.txt')",
        },
        {
            content: "Thanked",
            trigger: ".alert-success:contains('your information was added')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_accept_tour", {
    steps: () => [
        {
            content: "The decision and its reasons are shown",
            trigger:
                "#decision .o_complaint_decision_reasons:contains('The kettle was misused')",
        },
        {
            content: "Accept",
            trigger: "button#complaint_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Acceptance recorded",
            trigger:
                "#decision .o_complaint_decision_answer:contains('You accepted this decision.')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_reject_tour", {
    steps: () => [
        {
            content: "Open the rejection form",
            trigger: "button#complaint_reject_toggle",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "textarea#reject_reason:visible",
            run: "edit The refund does not cover the shipping costs.",
        },
        {
            content: "Ask for an external dispute resolution",
            trigger: "input#recourse_external",
            run: "check",
        },
        {
            content: "By an ombudsman",
            trigger: "select#dispute_method",
            run: "select ombudsman",
        },
        {
            content: "Name the provider",
            trigger: "input#provider_name",
            run: "edit Consumer Ombudsman",
        },
        {
            content: "Send",
            trigger: "button#complaint_reject",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Rejection recorded with its reason",
            trigger:
                "#decision .o_complaint_decision_answer:contains('shipping costs')",
        },
        {
            content: "The external dispute is shown",
            trigger: "#decision .o_complaint_dispute:contains('Consumer Ombudsman')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_rating_tour", {
    steps: () => [
        {
            content: "The closed complaint asks for a rating",
            trigger: "#rating a#complaint_rate_5",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Add a comment",
            trigger: "textarea[name='feedback']",
            run: "edit Quick and fair, thank you.",
        },
        {
            content: "Send the rating",
            trigger: "button[type='submit']:contains('Send Feedback')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked for the rating",
            trigger: "body:contains('Thank you')",
        },
    ],
});
