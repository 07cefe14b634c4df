"""Wagtail admin forms for the content pages."""

from wagtail.admin.forms import WagtailAdminPageForm


class LecturePageForm(WagtailAdminPageForm):
    """Refuses to publish a lecture without a WebVTT captions track; drafts may lack one."""

    PUBLISH_ACTION = "action-publish"

    def clean(self):
        cleaned_data = super().clean()
        if self.PUBLISH_ACTION in self.data and "captions" not in self.errors:
            from cms.selectors import captions_errors

            for error in captions_errors(document=cleaned_data.get("captions")):
                self.add_error("captions", error)
        return cleaned_data
