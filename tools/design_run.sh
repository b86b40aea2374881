#!/bin/sh
# The design's own setting end to end: IMDB sentiment + GMB NER on one all-MiniLM-L6-v2 backbone,
# trained with the combined and with the separate schedule, dev metrics before and after (mtl-train
# prints them: accuracy + per-class report, entity-level P/R/F1 per type).
#   tools/design_run.sh [extra mtl-train options, e.g. --head-lr-mult 10]
#       environment: N_TRAIN=1000 (both tasks; N_CLS / N_NER set one) N_DEV=500 EPOCHS=1 BATCH=16
#       MAXLEN=128 LR=5e-5 SCHEDULES="combined separate" THREADS=2 DATA=../shared/data OUT=build/design
# Splits (written under $OUT, never into the repo's tracked files): IMDB train = the first N_CLS rows
# of imdb_50k.csv (the official aclImdb train part; every even prefix is balanced), IMDB dev = the first
# N_DEV rows of its test part (row 25,001 on); GMB train = the first N_NER sentences of
# ner_dataset.csv, GMB dev = its last N_DEV sentences. The GMB bytes are copied as they are (latin-1).
set -eu
cd "$(dirname "$0")/.."
N_TRAIN=${N_TRAIN:-1000} N_DEV=${N_DEV:-500} EPOCHS=${EPOCHS:-1} BATCH=${BATCH:-16} MAXLEN=${MAXLEN:-128}
LR=${LR:-5e-5} THREADS=${THREADS:-2} DATA=${DATA:-../shared/data} OUT=${OUT:-build/design}
N_CLS=${N_CLS:-$N_TRAIN} N_NER=${N_NER:-$N_TRAIN} SCHEDULES=${SCHEDULES:-combined separate}
[ -f build/models/all-MiniLM-L6-v2.gguf ] || tools/get_minilm.sh
make -s build/mtl-train
mkdir -p "$OUT"
# IMDB: CSV records may span lines (quoted newlines): split by record with Python's csv module.
python3 - "$DATA/imdb/imdb_50k.csv" "$OUT" "$N_CLS" "$N_DEV" <<'PY'
import csv, sys
src, out, n_tr, n_dv = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(src, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
for name, part in (("imdb_train.csv", body[:n_tr]), ("imdb_dev.csv", body[25000:25000 + n_dv])):
    with open(f"{out}/{name}", "w", newline="", encoding="utf-8") as o:
        w = csv.writer(o, lineterminator="\n")
        w.writerow(head)
        w.writerows(part)
PY
# GMB: a sentence starts at a line whose first field is "Sentence: N"; bytes kept as they are.
LC_ALL=C awk -v n="$N_NER" 'NR == 1 { print; next } /^Sentence: / { s++ } s <= n { print }' \
    "$DATA/gmb_ner/ner_dataset.csv" > "$OUT/gmb_train.csv"
total=$(LC_ALL=C grep -c '^Sentence: ' "$DATA/gmb_ner/ner_dataset.csv")
LC_ALL=C awk -v first=$((total - N_DEV + 1)) 'NR == 1 { print; next } /^Sentence: / { s++ } s >= first { print }' \
    "$DATA/gmb_ner/ner_dataset.csv" > "$OUT/gmb_dev.csv"
for sched in $SCHEDULES; do
    echo "== schedule $sched"
    build/mtl-train --model build/models/all-MiniLM-L6-v2.gguf --out "$OUT/design_$sched.gguf" \
        --cls-train "$OUT/imdb_train.csv" --cls-dev "$OUT/imdb_dev.csv" --cls-format imdb \
        --ner-train "$OUT/gmb_train.csv" --ner-dev "$OUT/gmb_dev.csv" --ner-format gmb \
        --schedule $sched --epochs "$EPOCHS" --batch "$BATCH" --max-length "$MAXLEN" --lr "$LR" --warmup-ratio 0.1 \
        --seed 42 --threads "$THREADS" "$@"
done
