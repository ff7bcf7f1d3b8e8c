"""Upload: choose a file or a sample, see what FairTrial read, store it."""

from __future__ import annotations

import streamlit as st

import state
import ui
from fairtrial.errors import TooManyRowsError
from fairtrial.samples import available_samples

st.title("Upload your data")
ui.help_line(
    "Choose a spreadsheet (CSV or Excel) with one row per customer, student or sale, "
    "or try one of the samples. FairTrial keeps a copy on this computer only."
)

source = st.radio("Where is the data?", ["Try a sample", "My own file"], horizontal=True, key="upload_source")
keep_personal = st.checkbox(
    "Keep personal data as it is", value=False, key="upload_keep_personal",
    help="Off: columns with e-mail addresses, names, phone numbers and the like are stored scrambled (equal values "
         "stay equal, the original values are not kept). Choose before the upload: a table is stored once.")

data: bytes | None = None
filename = ""
sheet: str | None = None

if source == "My own file":
    upload = st.file_uploader("CSV or Excel file", type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls"], key="upload_file")
    if upload is not None:
        data, filename = upload.getvalue(), upload.name
else:
    samples = available_samples()
    if not samples:
        st.warning("The sample files are missing. Rebuild them with `make samples`.")
    else:
        labels = {s.title: s for s in samples}
        title = st.selectbox("Sample dataset", list(labels), index=None, placeholder="Choose a sample",
                             key="upload_sample")
        if title is None:
            st.markdown("\n".join(f"- **{s.title}**: {s.teaches}" for s in samples))
        else:
            sample = labels[title]
            st.caption(f"What it teaches: {sample.teaches} Column to predict: `{sample.target}`.")
            data, filename, sheet = sample.path.read_bytes(), sample.file, sample.sheet

if data is not None and filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
    sheets = ui.attempt(lambda: ui.sheets_of(data, filename))
    if sheets:
        default = sheets.index(sheet) if sheet in sheets else 0
        sheet = st.selectbox("Which sheet?", sheets, index=default, key=f"sheet_{filename}")
    else:
        data = None

if data is not None:
    # Imported once a file is chosen, not at start: the personal-data check pulls in scikit-learn
    # and scipy (fairtrial.checks), seconds the first page does not need (bench/bench_startup.py).
    import pandas as pd

    from fairtrial.checks.personal import hide_personal, personal_data_columns
    from fairtrial.store.scramble import SCRAMBLED_KEY, stored_words

    # A file above the row limit: offer a random sample of it instead of refusing (load.py).
    chosen_samples = st.session_state.setdefault("upload_sample_rows", {})
    file_key = (filename, len(data), sheet)
    too_many: list[TooManyRowsError] = []

    def _read():
        try:
            return ui.load_upload(data, filename, sheet, chosen_samples.get(file_key))
        except TooManyRowsError as exc:
            too_many.append(exc)
            return None

    ds = ui.attempt(_read)
    if too_many:
        exc = too_many[0]
        st.warning(exc.message, icon=":material/table_rows:")
        st.write(f"FairTrial can use a random {exc.limit:,} of them: every row equally likely, the same rows each "
                 "time, and the dataset, the checks and every trial on it will say it is a sample.")
        if st.button(f"Use a random sample of {exc.limit:,} rows", key="upload_use_sample"):
            chosen_samples[file_key] = int(exc.limit)
            st.rerun()
    if ds is not None:
        personal = ui.memo(("personal_columns", ds.sha256), lambda: personal_data_columns(ds.frame))
        stored = ui.attempt(lambda: ui.store().save_dataset(ds, keep_personal=keep_personal))
        if stored is not None:
            ds, reused = stored
            state.choose_dataset(ds.dataset_id)
            c1, c2, c3 = st.columns(3)
            c1.metric("Rows", f"{ds.n_rows:,}", help="Each row is one customer, student, sale ...")
            c2.metric("Columns", ds.n_cols, help="Each column is one piece of information about a row.")
            c3.metric("Dataset number", ds.dataset_id, help="Use this number with the command line tool.")
            if reused:
                st.success(f"This table was uploaded before, so FairTrial reuses dataset {ds.dataset_id}.")
            else:
                st.success(f"Stored '{ds.name}' as dataset {ds.dataset_id}.")
            for note in ds.notes:
                st.info(note)
            scrambled = (ds.read_options or {}).get(SCRAMBLED_KEY) or {}
            if scrambled:
                st.info(stored_words(scrambled) + (" This table was stored that way before; FairTrial keeps one "
                                                   "copy of each table." if keep_personal else ""),
                        icon=":material/lock:")
            st.caption(f"Fingerprint (SHA-256 of the content): `{ds.sha256[:16]}…` — the same table always gets the same fingerprint.")

            st.subheader("First rows")
            personal = list(dict.fromkeys([*personal, *scrambled]))
            st.dataframe(hide_personal(ds.frame.head(20), personal), width="stretch")
            if personal:
                these = ("This column looks like personal data, so FairTrial never shows its values and leaves it"
                         if len(personal) == 1 else
                         "These columns look like personal data, so FairTrial never shows their values and leaves them")
                st.caption("Hidden: " + ", ".join(f"'{c}'" for c in personal) + f". {these} out of the models.")

            st.subheader("What each column holds")
            ui.help_line("FairTrial guessed the kind of each column. IDs and free text are not used to predict.")
            kinds = pd.DataFrame(
                {
                    "column": list(ds.kinds),
                    "kind": list(ds.kinds.values()),
                    "means": [ui.KIND_WORDS.get(k, k) for k in ds.kinds.values()],
                    "empty cells": [int(ds.frame[c].isna().sum()) for c in ds.kinds],
                }
            )
            st.dataframe(kinds, hide_index=True, width="stretch")
            st.page_link("views/check.py", label="Next: check the data", icon=":material/arrow_forward:")
