#!/bin/sh
# The design's training strategies on SST-2 + CoNLL-2003, one all-MiniLM-L6-v2 backbone, one table
# (README, "mtl-train: the training options"): trainable parameters, time, dev accuracy, dev entity F1.
#   tools/design_scenarios.sh        environment: N_CLS=1000 N_NER=600 N_DEV_NER=600 EPOCHS=3 BATCH=32
#                                    MAXLEN=64 LR=5e-5 THREADS=2 DATA=../shared/data OUT=build/scenarios
# Data (written under $OUT): the first N_CLS sentences of SST-2 train.tsv, the first N_NER sentences of
# CoNLL-2003 eng.train (IOB1), dev = all of SST-2 dev.tsv and the first N_DEV_NER sentences of eng.testa.
# Every run: the same data, seed, epochs, batch and lr (AdamW, linear schedule, combined schedule unless
# the scenario says otherwise); the metrics are mtl-train's "dev after training" line.
set -eu
cd "$(dirname "$0")/.."
N_CLS=${N_CLS:-1000} N_NER=${N_NER:-600} N_DEV_NER=${N_DEV_NER:-600} EPOCHS=${EPOCHS:-3} BATCH=${BATCH:-32}
MAXLEN=${MAXLEN:-64} LR=${LR:-5e-5} THREADS=${THREADS:-2} DATA=${DATA:-../shared/data} OUT=${OUT:-build/scenarios}
[ -f build/models/all-MiniLM-L6-v2.gguf ] || tools/get_minilm.sh
make -s build/mtl-train
mkdir -p "$OUT"
head -n $((N_CLS + 1)) "$DATA/sst2/train.tsv" > "$OUT/sst2_train.tsv"
awk -v n="$N_NER" '{ print } /^$/ { s++; if (s >= n) exit }' "$DATA/conll2003/iob1/eng.train" > "$OUT/conll_train.txt"
awk -v n="$N_DEV_NER" '{ print } /^$/ { s++; if (s >= n) exit }' "$DATA/conll2003/iob1/eng.testa" > "$OUT/conll_dev.txt"
grep -m1 "model name" /proc/cpuinfo 2> /dev/null || true
printf '| scenario | options | trainable parameters (per epoch) | training time | dev accuracy | dev entity F1 |\n|---|---|---|---|---|---|\n' > "$OUT/table.md"
run() {   # NAME OPTIONS...
    name=$1; shift
    log="$OUT/$(echo "$name" | tr ' /:,' '____').log"
    build/mtl-train --model build/models/all-MiniLM-L6-v2.gguf --out "$OUT/model.gguf" \
        --cls-train "$OUT/sst2_train.tsv" --cls-dev "$DATA/sst2/dev.tsv" --ner-train "$OUT/conll_train.txt" \
        --ner-dev "$OUT/conll_dev.txt" --epochs "$EPOCHS" --batch "$BATCH" --max-length "$MAXLEN" --lr "$LR" \
        --seed 42 --threads "$THREADS" "$@" > "$log" 2>&1 || { echo "FAIL $name (see $log)"; return 1; }
    tr=$(grep -o "^epoch [0-9]*: [0-9]* of" "$log" | awk '{ printf "%s%s", sep, $3; sep = " / " }')
    t=$(grep -o "^epoch [0-9]*: [0-9.]* s training" "$log" | awk '{ s += $3 } END { printf "%.0f s", s }')
    acc=$(grep "^\[dev after training\]" "$log" | grep -o "accuracy [0-9.]*" | awk '{ print $2 }')
    f1=$(grep "^\[dev after training\]" "$log" | grep -o "entity-F1 [0-9.]*" | awk '{ print $2 }')
    printf '| %s | `%s` | %s | %s | %s | %s |\n' "$name" "$*" "$tr" "$t" "$acc" "$f1" | tee -a "$OUT/table.md"
}
run "full fine-tuning" --freeze none
run "freeze all (no training)" --freeze all
run "freeze backbone (heads only)" --freeze backbone
run "freeze one head (NER)" --freeze head:ner
run "gradual unfreezing, layer-wise lr, heads x5" --freeze backbone --unfreeze-schedule 0:backbone,1:top:2,2:none --layer-decay 0.9 --head-lr-mult 5
run "sample schedule 0.4 / 0.6" --schedule sample --task-probs 0.4,0.6
echo "table: $OUT/table.md"
