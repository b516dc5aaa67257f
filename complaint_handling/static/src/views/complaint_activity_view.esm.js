import {ActivityController} from "@mail/views/web/activity/activity_controller";
import {ActivityRenderer} from "@mail/views/web/activity/activity_renderer";
import {activityView} from "@mail/views/web/activity/activity_view";
import {onWillStart} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";

/**
 * The activity view of complaints (``js_class="complaint_activity"``): scheduling is offered only to those
 * who may schedule. It needs write access to the complaint (``mail.activity``, ``_mail_post_access``),
 * which the complaint auditors do not have; Odoo's own view would offer them the button, then an access
 * error. Other models keep Odoo's activity view untouched.
 */
export class ComplaintActivityController extends ActivityController {
    setup() {
        super.setup(...arguments);
        this.canSchedule = false;
        onWillStart(async () => {
            this.canSchedule = await user.checkAccessRight(
                this.props.resModel,
                "write"
            );
        });
    }

    get rendererProps() {
        return {...super.rendererProps, canSchedule: this.canSchedule};
    }
}

export class ComplaintActivityRenderer extends ActivityRenderer {
    static template = "complaint_handling.ActivityRenderer";
    static props = {
        ...ActivityRenderer.props,
        canSchedule: {type: Boolean, optional: true},
    };
}

registry.category("views").add("complaint_activity", {
    ...activityView,
    Controller: ComplaintActivityController,
    Renderer: ComplaintActivityRenderer,
});
