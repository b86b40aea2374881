#!/bin/sh
# Issue 15: mtl-train's training options, each on tiny-random-bert and tests/data (~20 s on 2 cores):
# that each one takes effect (--optimizer, --momentum, --accum-steps, --head / --cls-head / --ner-head,
# --dropout, --lr-schedule, --label-smoothing, --class-weights, --task-probs, --early-stopping, --max-steps,
# --init random, --config-file), that a bad value is a usage error (exit 2, the option named), and the
# outputs: --out is the inference model (smaller than the --save-state file, loads in mtl-predict, is not
# resumable), the state file resumes (Ctrl-C: bit-identical to an uninterrupted run), a second Ctrl-C
# stops at once. Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/models/tiny-random-bert" ]; then echo "SKIP cli_train_opts: no $S/models/tiny-random-bert"; exit 0; fi
for b in build/weights_convert build/mtl-train build/mtl-predict build/mtl-embed build/mtl-tokenize; do
    [ -x "$b" ] || { echo "SKIP cli_train_opts: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_train_opts.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=tests/data
pass=0; fail=0
ok() { echo "PASS cli_train_opts: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_train_opts: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

if ! build/weights_convert "$S/models/tiny-random-bert" "$T/tiny.gguf" > "$T/conv.log" 2>&1; then
    ko "weights_convert failed"; cat "$T/conv.log"; exit 1
fi
M=$T/tiny.gguf
# 32 classification rows (the sample's 10, repeated), and a skewed file: 8 rows of class 1, 4 of class 0
{ head -1 $D/sst2_sample.tsv; for i in 1 2 3 4; do tail -n +2 $D/sst2_sample.tsv; done | head -32; } > "$T/c32.tsv"
{ head -1 $D/sst2_sample.tsv; for i in 1 2 3 4; do grep '	1$' $D/sst2_sample.tsv; done | head -8; grep '	0$' $D/sst2_sample.tsv | head -4; } > "$T/skew.tsv"
printf 'a charming and affecting journey .\nbleak and desperate .\nAnna lives in Oslo .\n' > "$T/texts"

# train NAME OPTIONS...: mtl-train --out $T/NAME.gguf, stdout+stderr in $T/NAME.log, exit status in $rc
train() { n=$1; shift; build/mtl-train --threads 1 "$@" --out "$T/$n.gguf" > "$T/$n.log" 2>&1; rc=$?; }
embed() { build/mtl-embed --model "$T/$1.gguf" < "$T/texts" 2> /dev/null; }
# the largest |difference| of two embedding TSV files
maxdiff() { paste "$1" "$2" | awk -F'\t' '{ n = NF / 2; for (i = 1; i <= n; i++) { d = $i - $(i + n); if (d < 0) d = -d; if (d > m) m = d } } END { printf "%.3g", m + 0 }'; }
usage() {   # name, expected message, options...: exit 2, the message, nothing trained
    name=$1; re=$2; shift 2
    build/mtl-train --model "$M" --out "$T/bad.gguf" "$@" > "$T/u.out" 2> "$T/u.err"; rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$re" "$T/u.err" && [ ! -e "$T/bad.gguf" ] && ! grep -q "progress:" "$T/u.err"; then ok "usage error: $name"
    else ko "usage error: $name (exit $rc): $(cat "$T/u.err")"; fi
}
CLS="--model $M --cls-train $T/c32.tsv --max-length 32 --seed 5"
MT="--model $M --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --max-length 32 --batch 4 --lr 3e-3 --seed 5"

# --- --optimizer, --momentum: each gives other weights; the state remembers the optimizer
train adamw $MT --epochs 2; train adam $MT --epochs 2 --optimizer adam
train sgd $MT --epochs 2 --optimizer sgd --save-state "$T/sgd.state"; train sgdm $MT --epochs 2 --optimizer sgd --momentum 0.9
check "--optimizer adamw|adam|sgd, --momentum: four different models" '! cmp -s "$T/adamw.gguf" "$T/adam.gguf" && ! cmp -s "$T/adam.gguf" "$T/sgd.gguf" &&
    ! cmp -s "$T/sgd.gguf" "$T/sgdm.gguf" && ! cmp -s "$T/adamw.gguf" "$T/sgd.gguf" && grep -q "\"optimizer\": \"sgd\", \"momentum\": 0.9," "$T/sgdm.log"'
build/mtl-train $MT --epochs 2 --out "$T/x.gguf" --resume "$T/sgd.state" > "$T/x.log" 2>&1; rc=$?
check "a state file of --optimizer sgd does not resume with adamw" '[ $rc -eq 1 ] && grep -q "another optimizer type" "$T/x.log"'
usage "--optimizer lion" "unknown --optimizer 'lion'" --cls-train $D/sst2_sample.tsv --optimizer lion
usage "--momentum without sgd" "momentum goes with --optimizer sgd" --cls-train $D/sst2_sample.tsv --momentum 0.9
usage "--momentum 1.5" "bad value for --momentum: '1.5'" --cls-train $D/sst2_sample.tsv --optimizer sgd --momentum 1.5

# --- --accum-steps: 4 micro-batches of 8 = one batch of 32 (classification, full micro-batches)
train b32 $CLS --epochs 3 --lr 1e-3 --dropout 0 --batch 32
train a4 $CLS --epochs 3 --lr 1e-3 --dropout 0 --batch 8 --accum-steps 4
train b8 $CLS --epochs 3 --lr 1e-3 --dropout 0 --batch 8
embed b32 > "$T/b32.emb"; embed a4 > "$T/a4.emb"; embed b8 > "$T/b8.emb"
d_acc=$(maxdiff "$T/b32.emb" "$T/a4.emb"); d_b8=$(maxdiff "$T/b32.emb" "$T/b8.emb")
check "--accum-steps 4 x --batch 8 = --batch 32: 3 steps each, embeddings within $d_acc (batch 8 alone: $d_b8)" \
    'grep -q "; 3 steps (3 epochs x 1), batch 8 x 4 micro-batches" "$T/a4.log" && grep -q "; 3 steps (3 epochs x 1), batch 32," "$T/b32.log" &&
     awk -v a="$d_acc" -v b="$d_b8" "BEGIN { exit !(a < 1e-5 && b > 1e-3) }"'
train a2 $MT --epochs 2 --accum-steps 2
check "--accum-steps 2 with 3 micro-batches an epoch: 2 steps an epoch (the last one of 1)" '[ $rc -eq 0 ] && grep -q "; 4 steps (2 epochs x 2)" "$T/a2.log"'
usage "--accum-steps 0" "bad value for --accum-steps: '0' (an integer, 1..1024)" --cls-train $D/sst2_sample.tsv --accum-steps 0

# --- --head, --cls-head, --ner-head: MLP heads are trained, saved, read back, and kept when the shape matches
train mlp $MT --epochs 2 --head mlp:16:relu
build/mtl-predict --model "$T/mlp.gguf" < "$T/texts" > "$T/mlp.pred" 2>&1; prc=$?
train mlp2 --model "$T/mlp.gguf" --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --max-length 32 --batch 4 --max-steps 1 --head mlp:16:relu
train mlp3 --model "$T/mlp.gguf" --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --max-length 32 --batch 4 --max-steps 1 --head mlp:8:relu
check "--head mlp:16:relu: the model predicts, its heads are kept only by the same shape" '[ $prc -eq 0 ] && [ $(grep -c "^[01] " "$T/mlp.pred") -eq 3 ] &&
    ! cmp -s "$T/mlp.gguf" "$T/adamw.gguf" && grep -q "\"cls-head\": \"mlp:16:relu\", \"ner-head\": \"mlp:16:relu\"" "$T/mlp.log" &&
    grep -q "(heads from the model)" "$T/mlp2.log" && ! grep -q "(heads from the model)" "$T/mlp3.log"'
train mix $MT --epochs 1 --head mlp --ner-head linear
check "--head mlp --ner-head linear: an MLP cls head of the hidden size, a linear NER head" '[ $rc -eq 0 ] && grep -q "\"head\": \"mlp\", \"cls-head\": \"mlp:32:gelu\", \"ner-head\": \"linear\"" "$T/mix.log"'
usage "--head mlp:0" "bad value for --head: 'mlp:0'" --cls-train $D/sst2_sample.tsv --head mlp:0
usage "--cls-head relu, --ner-head gelu" "one activation" $MT --cls-head mlp:8:relu --ner-head mlp:8:gelu

# --- --dropout, --lr-schedule, --label-smoothing: each changes the model; same options, same bytes
train d0 $MT --epochs 2 --dropout 0; train d0b $MT --epochs 2 --dropout 0
train d3 $MT --epochs 2 --dropout 0,0.1,0
check "--dropout: 0 twice = the same bytes, 0,0.1,0 and the default 0.1 differ from it" 'cmp -s "$T/d0.gguf" "$T/d0b.gguf" && ! cmp -s "$T/d0.gguf" "$T/d3.gguf" && ! cmp -s "$T/d3.gguf" "$T/adamw.gguf"'
train cos $MT --epochs 2 --lr-schedule cosine --warmup-steps 1; train con $MT --epochs 2 --lr-schedule constant --warmup-steps 1
train lin $MT --epochs 2 --warmup-steps 1
check "--lr-schedule cosine|constant|linear: three different models" '! cmp -s "$T/cos.gguf" "$T/con.gguf" && ! cmp -s "$T/con.gguf" "$T/lin.gguf" && ! cmp -s "$T/cos.gguf" "$T/lin.gguf"'
train ls $MT --epochs 2 --label-smoothing 0.2
check "--label-smoothing 0.2 changes the model" '[ $rc -eq 0 ] && ! cmp -s "$T/ls.gguf" "$T/adamw.gguf"'
usage "--dropout 1" "bad value for --dropout: '1'" --cls-train $D/sst2_sample.tsv --dropout 1
usage "--dropout 0.1,0.1" "bad value for --dropout" --cls-train $D/sst2_sample.tsv --dropout 0.1,0.1
usage "--lr-schedule exp" "unknown --lr-schedule 'exp'" --cls-train $D/sst2_sample.tsv --lr-schedule exp
usage "--label-smoothing 1.5" "bad value for --label-smoothing: '1.5' (a number, 0..1)" --cls-train $D/sst2_sample.tsv --label-smoothing 1.5

# --- --class-weights: auto = n / (classes * count): 12 / (2 * 4) = 1.5 for class 0, 12 / (2 * 8) = 0.75 for class 1
SK="--model $M --cls-train $T/skew.tsv --max-length 32 --batch 4 --epochs 2 --lr 3e-3 --seed 2"
train cw_auto $SK --class-weights auto; train cw_list $SK --class-weights 1.5,0.75; train cw_none $SK
embed cw_auto > "$T/cwa.emb"; embed cw_list > "$T/cwl.emb"; embed cw_none > "$T/cwn.emb"
check "--class-weights auto = 1.5,0.75 (the same embeddings), unlike no weights" '[ -s "$T/cwa.emb" ] && cmp -s "$T/cwa.emb" "$T/cwl.emb" && ! cmp -s "$T/cwa.emb" "$T/cwn.emb"'
usage "--class-weights with one weight for two classes" "bad value for --class-weights: '2' (auto, or 2 numbers >= 0, in the order 0,1)" --cls-train $T/skew.tsv --class-weights 2
usage "--class-weights x" "bad value for --class-weights: 'x'" --cls-train $T/skew.tsv --class-weights x
train ncw $MT --epochs 1 --ner-class-weights auto
check "--ner-class-weights auto trains" '[ $rc -eq 0 ] && ! cmp -s "$T/ncw.gguf" "$T/adamw.gguf"'

# --- --task-probs: 1,000 sample steps with P(cls) = 0.4: the cls count within 3 sigma of 400 (sigma 15.5)
train tp --model $M --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --max-length 16 --batch 1 --freeze embeddings \
    --max-steps 1000 --schedule sample --task-probs 0.4,0.6
n_cls=$(sed -n 's/^steps per task: cls \([0-9]*\), ner \([0-9]*\)$/\1/p' "$T/tp.log")
n_ner=$(sed -n 's/^steps per task: cls \([0-9]*\), ner \([0-9]*\)$/\2/p' "$T/tp.log")
check "--task-probs 0.4,0.6: $n_cls cls and $n_ner NER steps of 1000 (400 +- 46)" '[ -n "$n_cls" ] && [ $((n_cls + n_ner)) -eq 1000 ] && [ $n_cls -ge 354 ] && [ $n_cls -le 446 ]'
usage "--task-probs without --schedule sample" "task-probs goes with --schedule sample" $MT --task-probs 0.4,0.6
usage "--task-probs 0,0" "bad value for --task-probs: '0,0'" $MT --schedule sample --task-probs 0,0

# --- --max-steps: exactly N steps, --epochs ignored
train ms $MT --epochs 50 --max-steps 7
check "--max-steps 7: stops at step 7 of 7 (not 150)" '[ $rc -eq 0 ] && grep -q "; 7 steps (--max-steps; epochs of 3)" "$T/ms.log" && grep -q "^progress: step 7/7 " "$T/ms.log" &&
    grep -q "^steps per task: cls 7, ner 7$" "$T/ms.log"'

# --- --early-stopping: a task without progress stops (its head frozen), the other one goes on to the end
ES="--model $M --cls-train $D/sst2_sample.tsv --cls-dev $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --max-length 32 --batch 4 --lr 1e-6 --seed 5 --eval-every 1"
train es $ES --epochs 10 --early-stopping 2
check "--early-stopping 2: cls (dev accuracy flat) stops at step 2, NER (no dev file) trains all 30 steps" '[ $rc -eq 0 ] &&
    grep -q "^early stopping: cls accuracy has not improved on 0\.[0-9]* for 2 evaluations: cls training stops at step 2$" "$T/es.log" &&
    grep -q "^steps per task: cls 2, ner 30$" "$T/es.log" && grep -q "^progress: step 30/30 " "$T/es.log"'
train es1 --model $M --cls-train $D/sst2_sample.tsv --cls-dev $D/sst2_sample.tsv --max-length 32 --batch 4 --lr 1e-6 --eval-every 1 --epochs 10 --early-stopping 3
check "--early-stopping 3, one task: the run ends after 3 evaluations without progress" '[ $rc -eq 0 ] && grep -q "^every task has stopped early: training ends at step 3/30$" "$T/es1.log" &&
    grep -q "^\[dev after training\] step 3 " "$T/es1.log" && [ -s "$T/es1.gguf" ]'
usage "--early-stopping without a dev file" "early-stopping needs --cls-dev and/or --ner-dev" --cls-train $D/sst2_sample.tsv --early-stopping 2

# --- --init random: a model from scratch of the config's shape and the tokenizer's vocabulary
cat > "$T/small.json" << EOF
{"model_type": "bert", "architectures": ["BertModel"], "vocab_size": 30522, "hidden_size": 48, "num_hidden_layers": 3,
 "num_attention_heads": 4, "intermediate_size": 96, "max_position_embeddings": 64, "type_vocab_size": 2,
 "layer_norm_eps": 1e-12, "initializer_range": 0.02, "pad_token_id": 0}
EOF
RI="--init random --config $T/small.json --cls-train $D/sst2_sample.tsv --cls-dev $D/sst2_sample.tsv --max-length 32 --batch 5 --epochs 15 --lr 1e-3 --seed 4"
train rnd $RI --tokenizer "$S/models/tiny-random-bert"
b_loss=$(sed -n 's/^\[dev before training\].*cls: loss \([0-9.]*\).*/\1/p' "$T/rnd.log")
a_loss=$(sed -n 's/^\[dev after training\].*cls: loss \([0-9.]*\).*/\1/p' "$T/rnd.log")
embed rnd > "$T/rnd.emb"
build/mtl-predict --model "$T/rnd.gguf" < "$T/texts" > "$T/rnd.pred" 2>&1; prc=$?
train rnd2 --model "$T/rnd.gguf" --cls-train $D/sst2_sample.tsv --max-length 32 --max-steps 1
check "--init random: trains from scratch (dev loss $b_loss -> $a_loss), the model loads: 3 layers, hidden 48, embeds and predicts" \
    'awk -v b="$b_loss" -v a="$a_loss" "BEGIN { exit !(b != \"\" && a + 0 < b - 0.05) }" && grep -q "^model from scratch .*vocab 30522): 3 layers, hidden 48;" "$T/rnd.log" &&
     [ $(head -1 "$T/rnd.emb" | awk -F"\t" "{ print NF }") -eq 48 ] && [ $prc -eq 0 ] && [ $(grep -c "^[01] " "$T/rnd.pred") -eq 3 ] &&
     grep -q "^model .*rnd.gguf: 3 layers, hidden 48;" "$T/rnd2.log"'
train rndb $RI --tokenizer "$M"
embed rndb > "$T/rndb.emb"
check "--init random --tokenizer BLOB = --tokenizer DIR (the same embeddings)" '[ -s "$T/rndb.emb" ] && cmp -s "$T/rnd.emb" "$T/rndb.emb"'
sed 's/"vocab_size": 30522/"vocab_size": 1000/' "$T/small.json" > "$T/v1000.json"
build/mtl-train --init random --config "$T/v1000.json" --tokenizer "$M" --cls-train $D/sst2_sample.tsv --out "$T/x.gguf" > /dev/null 2> "$T/x.err"; rc=$?
check "--init random: a vocabulary larger than vocab_size is refused" '[ $rc -eq 1 ] && grep -q "has 30522 tokens, more than --config.s vocab_size 1000" "$T/x.err"'
usage "--init random without --config" "init random needs --config and --tokenizer" --cls-train $D/sst2_sample.tsv --init random --tokenizer "$M"
usage "--config without --init random" "config and --tokenizer go with --init random" --cls-train $D/sst2_sample.tsv --config "$T/small.json"

# --- --config-file: the same run as the same options on the command line, byte for byte; the command line wins
cat > "$T/run.json" << EOF
{"model": "$M", "cls_train": "$D/sst2_sample.tsv", "ner-train": "$D/conll_2col_iob2.txt", "max_length": 32, "batch": 4,
 "lr": 3e-3, "epochs": 9, "optimizer": "sgd", "momentum": 0.9, "head": "mlp:16:relu", "dropout": [0.1, 0.05, 0],
 "task_weights": [1, 0.5], "schedule": "sample", "task-probs": "0.4,0.6", "seed": 9, "warmup_ratio": 0.1,
 "lr-schedule": "cosine", "cls-dev": null, "threads": 1}
EOF
build/mtl-train --config-file "$T/run.json" --epochs 2 --out "$T/cf.gguf" > "$T/cf.log" 2>&1; rc1=$?
train cl --model $M --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --max-length 32 --batch 4 --lr 0.003 --epochs 2 \
    --optimizer sgd --momentum 0.9 --head mlp:16:relu --dropout 0.1,0.05,0 --task-weights 1,0.5 --schedule sample --task-probs 0.4,0.6 \
    --seed 9 --warmup-ratio 0.1 --lr-schedule cosine
cfg=$(sed -n 's/^config: //p' "$T/cf.log")
check "--config-file = the same options on the command line, byte for byte (--epochs 2 overrides the file's 9)" '[ $rc1 -eq 0 ] && [ $rc -eq 0 ] &&
    cmp -s "$T/cf.gguf" "$T/cl.gguf" && grep -q "; 10 steps (2 epochs x 5)" "$T/cf.log"'
check "the configuration printed at start is in the file (mtl.train.config)" '[ -n "$cfg" ] && grep -q "\"epochs\": 2," "$T/cf.log" &&
    grep -q "\"max-length\": 32," "$T/cf.log" && grep -a -q "mtl.train.config" "$T/cf.gguf" && grep -a -q -F "$cfg" "$T/cf.gguf"'
build/mtl-train --config-file "$T/run.json" --warmup-steps 2 --max-steps 1 --out "$T/cf2.gguf" > "$T/cf2.log" 2>&1; rc=$?
check "--warmup-steps on the command line replaces the file's --warmup-ratio" '[ $rc -eq 0 ] && grep -q "\"warmup-steps\": 2, \"warmup-ratio\": null," "$T/cf2.log"'
printf '{"lr": 1e-3, "no-such-option": 1}' > "$T/bad.json"
usage "--config-file with an unknown key" "unknown key \"no-such-option\"" --config-file "$T/bad.json"
printf '{"lr": true}' > "$T/bad.json"
usage "--config-file with a boolean" "\"lr\": a string, a number or an array of them" --config-file "$T/bad.json"
printf '{"lr": "fast", "cls-train": "%s"}' "$D/sst2_sample.tsv" > "$T/bad.json"
usage "--config-file with a bad value" "bad value for --lr: 'fast'" --config-file "$T/bad.json"
printf '[1, 2]' > "$T/bad.json"
usage "--config-file that is not an object" "not a JSON object" --config-file "$T/bad.json"

# --- --out: the inference model; --save-state: the resumable state
train io $MT --epochs 2 --save-state "$T/io.state"
out_sz=$(wc -c < "$T/io.gguf"); st_sz=$(wc -c < "$T/io.state")
build/mtl-predict --model "$T/io.gguf" < "$T/texts" > "$T/io.pred" 2>&1; prc=$?
check "--out ($out_sz bytes) is under half the --save-state file ($st_sz: + AdamW moments) and loads in mtl-predict" '[ $rc -eq 0 ] &&
    [ $((2 * out_sz)) -lt $st_sz ] && [ $prc -eq 0 ] && [ $(grep -c "^[01] " "$T/io.pred") -eq 3 ] && grep -q "^saved the resumable state in " "$T/io.log"'
build/mtl-train $MT --epochs 2 --out "$T/x.gguf" --resume "$T/io.gguf" > "$T/x.log" 2>&1; rc=$?
check "--resume of an --out file is refused by name" '[ $rc -eq 1 ] && grep -q "not a resumable trainer state" "$T/x.log"'
usage "--save-state = --out" "save-state and --out name one file" --cls-train $D/sst2_sample.tsv --save-state "$T/bad.gguf"

# Ctrl-C with --save-state: the state goes there; --resume continues it to the same bytes as an uninterrupted run
# (1,000 steps, ~2 s: the signal 0.3 s after the start must find the run still going)
RUN="--model $M --cls-train $D/sst2_sample.tsv --cls-dev $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --batch 4 --max-length 32
     --lr 1e-3 --seed 3 --epochs 500 --accum-steps 2 --eval-every 5 --early-stopping 3 --threads 1"
build/mtl-train $RUN --out "$T/int.gguf" --save-state "$T/int.state" > "$T/int.out" 2> "$T/int.err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "^ner tags" "$T/int.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
kill -INT $pid 2>/dev/null
wait $pid; rc=$?
k=$(sed -n 's/^mtl-train: interrupted at step \([0-9]*\)\/.*/\1/p' "$T/int.err")
check "Ctrl-C with --save-state: exit 130, the state at step $k/1000 in it (no OUT.resume.gguf)" '[ $rc -eq 130 ] && [ -n "$k" ] && [ -s "$T/int.state" ] &&
    [ -s "$T/int.state.best" ] && [ ! -e "$T/int.gguf.resume.gguf" ]'
build/mtl-train $RUN --out "$T/int.gguf" --save-state "$T/int.state" --resume "$T/int.state" > "$T/res.out" 2>&1; rc=$?
build/mtl-train $RUN --out "$T/full.gguf" --save-state "$T/full.state" > "$T/full.out" 2>&1
check "--resume STATE: the --out and the state equal an uninterrupted run's, byte for byte (early stopping on)" '[ $rc -eq 0 ] &&
    grep -q "^resumed from .* at step $k/1000" "$T/res.out" && grep -q "^early stopping: cls" "$T/full.out" &&
    cmp -s "$T/int.gguf" "$T/full.gguf" && cmp -s "$T/int.state" "$T/full.state"'

# a second Ctrl-C stops at once: here both come during the first dev evaluation (20,000 rows)
{ head -1 $D/sst2_sample.tsv; awk 'NR > 1 { for (i = 0; i < 2223; i++) print }' $D/sst2_sample.tsv | head -20000; } > "$T/big.tsv"
build/mtl-train --model "$M" --cls-train $D/sst2_sample.tsv --cls-dev "$T/big.tsv" --batch 32 --max-length 32 --threads 1 \
    --out "$T/two.gguf" > "$T/two.out" 2> "$T/two.err" &
pid=$!
i=0
while [ $i -lt 200 ] && ! grep -q "^cls labels" "$T/two.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid 2>/dev/null; sleep 0.2; kill -INT $pid 2>/dev/null
wait $pid; rc=$?
check "a second Ctrl-C: exit 130 at once, nothing saved, no .tmp left" '[ $rc -eq 130 ] && grep -q "interrupted again: stopping at once" "$T/two.err" &&
    ! grep -q "interrupted at step" "$T/two.err" && [ -z "$(ls "$T" | grep "^two\.gguf")" ]'
# training truncation is reported: the count of examples over --max-length, as mtl-tokenize counts them
build/mtl-train --model "$M" --cls-train $D/sst2_sample.tsv --epochs 1 --max-length 8 --threads 1 --out "$T/tr8.gguf" > /dev/null 2> "$T/tr8.err"; rc=$?
want=$(tail -n +2 $D/sst2_sample.tsv | cut -f1 | build/mtl-tokenize --model "$M" 2> /dev/null | awk 'NF > 8' | wc -l | tr -d ' ')
check "training truncation: $want of 10 examples over 8 tokens, reported on stderr" \
    '[ $rc -eq 0 ] && [ "$want" -gt 0 ] && grep -q "^mtl-train: $D/sst2_sample.tsv: $want of 10 examples were truncated to 8 tokens (--max-length)$" "$T/tr8.err"'
[ $fail -eq 0 ] || echo "  (logs of the failed runs are in the removed $T)"
exit 0
