"""Permission predicates for procurement: PPS staff and officers run the queues; applicants
see only their own results, objections, extensions and certificates."""

import rules

from applications.rules import is_application_owner, is_officer, is_pps


@rules.predicate
def owns_certificate(user, certificate) -> bool:
    return certificate is not None and is_application_owner(user, certificate.application)


@rules.predicate
def result_is_released(user, application) -> bool:
    return application is not None and application.result_released_at is not None


can_use_procurement = is_pps | is_officer
can_record_suitability = is_pps | is_officer
can_register_catalogue = is_pps | is_officer
can_record_pilot_purchase = is_pps | is_officer
can_decide = is_officer
can_export = is_pps | is_officer
can_download_certificate = owns_certificate | is_pps | is_officer
can_request_extension = owns_certificate
can_view_result = is_application_owner & result_is_released
can_file_objection = is_application_owner & result_is_released

rules.add_perm("procurement.use_dashboard", can_use_procurement)
rules.add_perm("procurement.record_suitability", can_record_suitability)
rules.add_perm("procurement.register_catalogue", can_register_catalogue)
rules.add_perm("procurement.record_pilot_purchase", can_record_pilot_purchase)
rules.add_perm("procurement.decide", can_decide)
rules.add_perm("procurement.export", can_export)
rules.add_perm("procurement.download_certificate", can_download_certificate)
rules.add_perm("procurement.request_extension", can_request_extension)
rules.add_perm("procurement.view_result", can_view_result)
rules.add_perm("procurement.file_objection", can_file_objection)
