"""The violation-code catalogue: every code a validation report can carry, with its severity
and meaning (the README's "Violation codes" table is checked against it, row by row).

A code is stable and never reused. :class:`Violation` refuses a code that is neither here nor
a problem code of :mod:`registry.core.errors` (a client relays a refused event's problem as a
violation), so a new code cannot ship undocumented: the tests build every code.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from registry.core.errors import problem_codes


class ViolationCode(NamedTuple):
    """What one code means and the severities it is reported with."""

    severity: str
    """``error``, ``warning``, or when each applies (``error; warning when coerced``)."""
    meaning: str
    """When the code is reported (Markdown, as in the README table)."""

    @property
    def severities(self) -> frozenset[str]:
        """The severities this code can carry."""
        return frozenset(s for s in ("error", "warning") if s in self.severity)


VIOLATION_CODES: Final[dict[str, ViolationCode]] = {
    "type_mismatch": ViolationCode(
        "error; warning when coerced",
        "the value has the wrong JSON type",
    ),
    "required_missing": ViolationCode(
        "error",
        "a required param (or nested member) is absent",
    ),
    "not_in_enum": ViolationCode(
        "error",
        "the value is not one of `enum` / `const`",
    ),
    "pattern_mismatch": ViolationCode(
        "error",
        "a string does not match `pattern`",
    ),
    "format_invalid": ViolationCode(
        "error",
        "`format` fails: email, date, date-time, uri, uuid, ipv4, ipv6, …",
    ),
    "too_long": ViolationCode(
        "error",
        "longer than `maxLength`",
    ),
    "too_short": ViolationCode(
        "error",
        "shorter than `minLength`",
    ),
    "out_of_range": ViolationCode(
        "error",
        "`minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` or `multipleOf` fails",
    ),
    "too_many_items": ViolationCode(
        "error",
        "more items than `maxItems`",
    ),
    "too_few_items": ViolationCode(
        "error",
        "fewer items than `minItems`",
    ),
    "duplicate_items": ViolationCode(
        "error",
        "`uniqueItems` fails",
    ),
    "unknown_param": ViolationCode(
        "warning (lenient); error (strict, or a closed schema)",
        "a param the schema does not declare",
    ),
    "unknown_property": ViolationCode(
        "error",
        "a member inside a param's value that `additionalProperties: false` forbids",
    ),
    "composition_failed": ViolationCode(
        "error",
        "no alternative of `oneOf` / `anyOf` fits, or several of a `oneOf` do",
    ),
    "schema_violation": ViolationCode(
        "error",
        "any other keyword (`not`, `contains`, `propertyNames`, `minProperties`, a `false` schema,"
        " …)",
    ),
    "json_string_parsed": ViolationCode(
        "warning",
        "a string held the JSON object/array the schema wants; it was parsed and validated inside",
    ),
    "malformed_event": ViolationCode(
        "error",
        "the body is JSON but not an object",
    ),
    "malformed_json": ViolationCode(
        "error",
        "`/validate/batch` only: an element or NDJSON line is not JSON (`/validate` answers 400 "
        "instead)",
    ),
    "payload_too_large": ViolationCode(
        "error",
        "the event body exceeds 20 KB",
    ),
    "invalid_event_type_key": ViolationCode(
        "error",
        "eventTypeKey missing, not a string, empty, over 100 characters or with a forbidden "
        "character",
    ),
    "invalid_key_value": ViolationCode(
        "error; warning for a number",
        "keyValue not a string, over 300 characters or with a forbidden character",
    ),
    "invalid_occurred": ViolationCode(
        "error",
        "`occurred` is not `YYYY-MM-DD` or an ISO 8601 date-time (dry-run past events: only "
        "`YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`)",
    ),
    "unknown_member": ViolationCode(
        "warning",
        "a top-level member other than eventTypeKey, keyValue, params, occurred, version, sampleId",
    ),
    "missing_contact_identifier": ViolationCode(
        "error",
        "no keyValue and no contact-identifier param (see envelope rules)",
    ),
    "invalid_params": ViolationCode(
        "error",
        "params is neither a list nor an object (on the dry-run Yespo endpoints: not a list), an "
        "entry is not an object, or a name is missing/empty/not a string",
    ),
    "missing_param_value": ViolationCode(
        "error",
        "a list entry has a name but no value",
    ),
    "duplicate_param": ViolationCode(
        "error",
        "a name appears twice in the list",
    ),
    "param_name_too_long": ViolationCode(
        "error",
        "a param name over 100 characters",
    ),
    "unknown_event_type": ViolationCode(
        "error",
        "the key is not registered (Yespo would silently create a new type)",
    ),
    "no_schema": ViolationCode(
        "warning",
        "the type has no usable version (none registered yet; or every one disabled, which only "
        "two racing PATCHes can leave behind); only the envelope was checked",
    ),
    "version_not_found": ViolationCode(
        "error",
        "the event asks for a version that does not exist",
    ),
    "version_disabled": ViolationCode(
        "error",
        "the event asks for a disabled version",
    ),
    "invalid_version": ViolationCode(
        "error",
        '`version` is neither a positive integer nor `"latest"`',
    ),
    "deprecated_version": ViolationCode(
        "warning",
        "the version used is deprecated",
    ),
    "occurred_required": ViolationCode(
        "error",
        "dry-run past events and mobile batch only: an event without `occurred` (status "
        "`OCCURRED_DATE_IS_REQUIRED`)",
    ),
    "occurred_in_future": ViolationCode(
        "error",
        "dry-run past events only: `occurred` is later than now in UTC+14 (status "
        "`OCCURRED_TIME_IN_FUTURE`)",
    ),
    "key_value_required": ViolationCode(
        "error",
        "dry-run past events only: no `keyValue` (status `KEY_VALUE_IS_REQUIRED`)",
    ),
    "invalid_batch": ViolationCode(
        "error",
        "dry-run past events and mobile batch only: no `events` array, an event that is not an "
        "object, a mobile batch without `deviceId`",
    ),
    "too_many_events": ViolationCode(
        "error",
        "dry-run past events only: more than 500 events",
    ),
    "params_alias": ViolationCode(
        "warning",
        "dry-run endpoints only: `parameters` instead of `params` (dkulyk/esputnik)",
    ),
    "v1_value_not_string": ViolationCode(
        "warning",
        "dry-run v1 endpoints only: a param value that is not a string",
    ),
    "tracker_malformed": ViolationCode(
        "error",
        "dry-run tracker only: the body is neither `GeneralInfo` + an event object, nor a "
        "webcontact body, nor a plugin log record; or `GeneralInfo.eventName` is missing",
    ),
    "tracker_product_key_alias": ViolationCode(
        "warning",
        "dry-run tracker only: a `PurchasedItems` product named by `productKey` (the Shopify app) "
        "instead of `product_id`",
    ),
    "too_many_orders": ViolationCode(
        "error",
        "dry-run Orders API only: more than 1000 orders",
    ),
    "order_contact_missing": ViolationCode(
        "error",
        "dry-run Orders API only: `externalCustomerId`, `email` and `phone` all empty (Yespo lists"
        " the order in `failedOrders`)",
    ),
    "order_id_not_string": ViolationCode(
        "warning",
        "dry-run Orders API only: `externalOrderId`, `externalCustomerId` or an item's "
        "`externalItemId` sent as a JSON number (OpenCart)",
    ),
    "order_total_mismatch": ViolationCode(
        "warning",
        "dry-run order events and Orders API: the items' `cost × quantity` equal neither "
        "`totalCost` nor `totalCost − shipping − taxes + discount` (± 0.01)",
    ),
    "order_ignored": ViolationCode(
        "warning",
        "dry-run `orderCreated` / `orderUpdated` events: a member Yespo needs is missing, so it "
        "drops the order event without saying so",
    ),
    "not_emulated": ViolationCode(
        "error",
        "dry-run only: the request went to a Yespo path the registry does not emulate (recorded as"
        " `unsupported`; the answer is a 404 problem)",
    ),
}


def is_known(code: str) -> bool:
    """Whether a :class:`Violation` may carry ``code``: catalogued, or a relayed problem code."""
    return code in VIOLATION_CODES or code in problem_codes()
