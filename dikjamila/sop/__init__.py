"""SOP catalog and completeness checker (pure Python, no Qt).

An SOP file is `resources/sops/<code>.toml` (offices may add or replace services with files
of the same shape in an override folder):

    code = "akta_kelahiran"          # must equal the file name without .toml
    name = "Akta Kelahiran"
    version = 1                      # positive integer; bump when requirements change
    legal_basis = ["Perpres 96/2018", "Permendagri 108/2019"]
    target_hours = 24                # optional; absent = the office setting default_target_hours
    forms = ["F-2.01"]
    result = "pdf"                   # "pdf" (default) or "card"
    ends_in_pickup = false           # default: true exactly when result = "card"
    power_of_attorney = true         # default true: adds `surat_kuasa` when
                                     #   applicant_is_subject == false
    note = "..."                     # optional remark (e.g. what is unverified)

    [[requirements]]                 # one per document; at least one
    code = "surat_kelahiran"         # lower case, digits, underscore
    label = "Surat keterangan kelahiran"
    kinds = ["image", "pdf"]         # optional, default both
    min_files = 1                    # optional, default 1
    optional = false                 # optional, default false
    when = "not foundling"           # optional condition (see condition.py)
    note = "..."                     # optional

    [[groups]]                       # alternatives: one option, all of its codes
    code = "bukti_kelahiran"
    label = "Bukti kelahiran"
    one_of = [["surat_kelahiran"], ["sptjm_kelahiran", "ktp_saksi"]]
    when = "not foundling"           # optional, applies to all its requirements

    [[eligibility]]                  # conditions on the facts, not documents
    code = "umur_atau_kawin"
    label = "Berumur 17 tahun atau sudah/pernah kawin"
    rule = "subject_age >= 17 or marital_status != 'belum_kawin'"
"""

from dikjamila.sop.catalog import Catalog, load_catalog
from dikjamila.sop.checker import check
from dikjamila.sop.condition import Condition, ConditionError, parse_condition
from dikjamila.sop.facts import FACTS, Fact, FactType, resolve_facts
from dikjamila.sop.loader import load_sop, validate_path
from dikjamila.sop.message import render_berkas_kurang
from dikjamila.sop.model import (
    FILE_KINDS, AttachedFile, CompletenessReport, Eligibility, GroupResult, ItemResult,
    ItemState, Requirement, RequirementGroup, Sop, SopError,
)

__all__ = [
    "FACTS", "FILE_KINDS", "AttachedFile", "Catalog", "CompletenessReport", "Condition",
    "ConditionError", "Eligibility", "Fact", "FactType", "GroupResult", "ItemResult",
    "ItemState", "Requirement", "RequirementGroup", "Sop", "SopError", "check", "load_catalog",
    "load_sop", "parse_condition", "render_berkas_kurang", "resolve_facts", "validate_path",
]
