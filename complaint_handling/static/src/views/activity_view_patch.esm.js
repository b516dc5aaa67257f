import {ActivityController} from "@mail/views/web/activity/activity_controller";
import {ActivityRenderer} from "@mail/views/web/activity/activity_renderer";

import {onWillStart} from "@odoo/owl";
import {patch} from "@web/core/utils/patch";
import {user} from "@web/core/user";

/**
 * The activity view of the complaint models offers to schedule activities only to those who may:
 * scheduling needs write access to the complaint (``mail.activity``, ``_mail_post_access``), which
 * the complaint auditors do not have. Without this, they get the button, then Odoo's access error.
 * Other models keep Odoo's behaviour.
 */
patch(ActivityController.prototype, {
    setup() {
        super.setup(...arguments);
        this.canSchedule = undefined;
        if (this.props.resModel.startsWith("complaint.")) {
            onWillStart(async () => {
                this.canSchedule = await user.checkAccessRight(
                    this.props.resModel,
                    "write"
                );
            });
        }
    },

    get rendererProps() {
        return {...super.rendererProps, canSchedule: this.canSchedule};
    },
});

ActivityRenderer.props = {
    ...ActivityRenderer.props,
    canSchedule: {type: Boolean, optional: true},
};
