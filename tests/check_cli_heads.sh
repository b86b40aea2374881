#!/bin/sh
# Hugging Face classifiers as mtl task heads (issue 13, requirement 3): the fixtures of
# tests/data/heads (tools/gen_head_goldens.py: a config.json, a classifier.safetensors shard and the
# shard index; the backbone shard, backbone.safetensors, is tiny-random-bert's model.safetensors,
# copied here with its tokenizer files) are converted with weights_convert, then
#   mtl-predict --json            = transformers' text-classification / token-classification pipelines
#   mtl-predict --pair --json     = sentence-transformers CrossEncoder.predict (sigmoid, and Identity)
#   mtl-eval                      = scikit-learn's / seqeval's reports of the pipelines' predictions
#   mtl-train --model             starts from the converted head (dev numbers before training = mtl-eval's)
# and DistilBERT (issue 13, requirement 2): the tiny generated DistilBERT of tests/data/distil
# (tools/gen_distil_goldens.py) converted as DistilBertModel / ...ForSequenceClassification /
# ...ForTokenClassification: mtl-embed --tokens = last_hidden_state (texts and pairs), mtl-predict =
# the pipelines, mtl-train continues the converted MLP head, mtl-eval; and RoBERTa / XLM-RoBERTa (the
# tiny generated models of tests/data/roberta, tools/gen_roberta_goldens.py): RobertaModel / XLMRobertaModel
# (mtl-embed --tokens and every pooling = HF's hidden states, a <pad> inside a text, truncation at the
# last position), ...ForSequenceClassification (mtl-predict, --pair, mtl-eval, mtl-train continues the
# tanh MLP head), ...ForTokenClassification, and a 1-label XLM-R cross-encoder (CrossEncoder.predict).
# Labels, entities and text exactly, probabilities, scores and states within 1e-5. Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
TINY=$S/models/tiny-random-bert
for b in build/weights_convert build/mtl-predict build/mtl-eval build/mtl-train; do
    [ -x "$b" ] || { echo "SKIP cli_heads: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_heads.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=tests/data/heads
pass=0; fail=0
ok() { echo "PASS cli_heads: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_heads: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; return 1; fi; }

# same_rows EXPECTED GOT: the lines agree with every number replaced by '#', and each number within
# 1e-5 (integers: exactly); prints the largest difference (or why not)
same_rows() {
    awk -v tol=1e-5 'NR == FNR { e[FNR] = $0; ne = FNR; next }
        function skel(s, nums,   n, t) { n = 0; t = ""
            while (match(s, /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) { nums[++n] = substr(s, RSTART, RLENGTH) + 0; t = t substr(s, 1, RSTART - 1) "#"; s = substr(s, RSTART + RLENGTH) }
            nums[0] = n; return t s }
        { g[FNR] = $0; ng = FNR }
        END {
            if (ng != ne) { printf "%d lines, expected %d", ng, ne; exit 1 }
            m = 0
            for (i = 1; i <= ne; i++) {
                split("", a); split("", b)
                if (skel(e[i], a) != skel(g[i], b)) { printf "line %d differs: %s", i, g[i]; exit 1 }
                for (k = 1; k <= a[0]; k++) { d = a[k] - b[k]; if (d < 0) d = -d; if (d > m) m = d }
            }
            printf "max |diff| %.2g", m; exit !(m <= tol) }' "$1" "$2"
}

# predict_vs_pipelines WHAT SEQ_GGUF TOK_GGUF DIR: mtl-predict --json on DIR/texts.txt = DIR/seqcls.jsonl
# (text-classification pipeline, top_k=None) and DIR/tokcls.jsonl (token-classification, aggregation first)
predict_vs_pipelines() {
    pv_dir=$4
    build/mtl-predict --model "$2" --json --quiet < "$pv_dir/texts.txt" > "$T/pv_s.jsonl" 2> "$T/p.err"; rc=$?
    msg=$(same_rows "$pv_dir/seqcls.jsonl" "$T/pv_s.jsonl"); r=$?
    check "$1: mtl-predict = the text-classification pipeline (top_k=None): labels exact, probabilities $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
    build/mtl-predict --model "$3" --json --quiet < "$pv_dir/texts.txt" > "$T/pv_t.jsonl" 2> "$T/p.err"; rc=$?
    check "$1: mtl-predict = the token-classification pipeline (aggregation first): the same entities" \
        '[ $rc -eq 0 ] && cmp -s "$pv_dir/tokcls.jsonl" "$T/pv_t.jsonl"' || diff "$pv_dir/tokcls.jsonl" "$T/pv_t.jsonl" | head -5
}

# kept_head WHAT GGUF TEXTS EXPECTED TRAIN-OPTIONS...: one mtl-train step at lr 1e-30 from the converted
# model changes nothing, so its checkpoint must predict what HF does (the trainer took the head exactly)
kept_head() {
    kh_what=$1; kh_m=$2; kh_texts=$3; kh_exp=$4; shift 4
    build/mtl-train --model "$kh_m" --out "$T/kh.gguf" "$@" --max-steps 1 --lr 1e-30 --batch 2 --seed 1 --threads 1 > "$T/kh.out" 2> "$T/kh.err"; rc=$?
    build/mtl-predict --model "$T/kh.gguf" --json --quiet < "$kh_texts" > "$T/kh.jsonl" 2> "$T/p.err" || rc=1
    msg=$(same_rows "$kh_exp" "$T/kh.jsonl"); r=$?
    check "$kh_what: mtl-train keeps the converted head exactly (a step at lr 1e-30, then mtl-predict = HF: $msg)" \
        '[ $rc -eq 0 ] && [ $r -eq 0 ] && grep -q "(heads from the model)" "$T/kh.out"' || { head -3 "$T/kh.out"; head -3 "$T/kh.err"; }
    rm -f "$T/kh.gguf"
}

# --- DistilBERT ---
DD=tests/data/distil
for name in model seqcls tokcls; do
    mkdir "$T/d_$name"
    cp $DD/vocab.txt $DD/tokenizer.json $DD/tokenizer_config.json $DD/$name/config.json $DD/$name/model.safetensors "$T/d_$name/"
    build/weights_convert "$T/d_$name" "$T/d_$name.gguf" > "$T/conv.log" 2>&1; rc=$?
    check "weights_convert DistilBERT $name" '[ $rc -eq 0 ] && grep -q "DistilBert" "$T/conv.log"' || cat "$T/conv.log"
done
if [ -x build/mtl-embed ]; then
    { build/mtl-embed --model "$T/d_model.gguf" --tokens --quiet < $DD/texts.txt && build/mtl-embed --model "$T/d_model.gguf" --tokens --pair --quiet < $DD/pairs.tsv; } > "$T/d_tokens.tsv" 2> "$T/e.err"; rc=$?
    msg=$(same_rows $DD/model_tokens.tsv "$T/d_tokens.tsv"); r=$?
    check "DistilBertModel: mtl-embed --tokens = HF last_hidden_state (6 texts, 2 pairs, 86 tokens x 16): $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
else
    echo "SKIP cli_heads: no build/mtl-embed (run make)"
fi
predict_vs_pipelines "DistilBertFor{Sequence,Token}Classification (sequence: pre_classifier + ReLU + classifier on [CLS])" "$T/d_seqcls.gguf" "$T/d_tokcls.gguf" $DD
acc=$(cat $DD/seqcls_eval_accuracy.txt)
build/mtl-eval --model "$T/d_seqcls.gguf" --cls-test $DD/seqcls_train.tsv --quiet > "$T/e.txt" 2> "$T/e.err"; rc=$?
check "mtl-eval on the converted DistilBERT head: accuracy $acc (the pipeline's)" '[ $rc -eq 0 ] && grep -q "^    accuracy  *$acc " "$T/e.txt"'
build/mtl-train --model "$T/d_seqcls.gguf" --out "$T/d_ck.gguf" --cls-train $DD/seqcls_train.tsv --cls-dev $DD/seqcls_train.tsv --cls-head mlp:16:relu \
    --epochs 2 --batch 2 --lr 1e-3 --seed 1 --threads 1 > "$T/t.out" 2> "$T/t.err"; rc=$?
check "mtl-train --model <converted DistilBertForSequenceClassification> --cls-head mlp:16:relu: the head is kept (cls pooling), dev accuracy before training $acc" \
    '[ $rc -eq 0 ] && grep -q "(heads from the model)" "$T/t.out" && grep -q "^\[dev before training\] step 0  cls: loss [0-9.]* accuracy $acc " "$T/t.out"' || { head -5 "$T/t.out"; head -5 "$T/t.err"; }
build/mtl-predict --model "$T/d_ck.gguf" --quiet < $DD/texts.txt > "$T/p.out" 2> "$T/p.err"; rc=$?
check "mtl-predict on the continued DistilBERT checkpoint" '[ $rc -eq 0 ] && [ $(wc -l < "$T/p.out") -eq 6 ]'
kept_head DistilBertForSequenceClassification "$T/d_seqcls.gguf" $DD/texts.txt $DD/seqcls.jsonl --cls-train $DD/seqcls_train.tsv --cls-head mlp:16:relu

# --- RoBERTa and XLM-RoBERTa ---
RD=tests/data/roberta
head -n 6 $RD/texts.txt > "$T/r_cls_texts.txt"   # (the 7th is longer than the models: the pipelines were not run on it)
for fam in roberta xlmr; do
    H=16; [ $fam = xlmr ] && H=24
    for kind in model seqcls tokcls; do
        mkdir "$T/r_$fam$kind"
        cp $RD/tokenizer.json $RD/tokenizer_config.json $RD/${fam}_$kind/config.json $RD/${fam}_$kind/model.safetensors "$T/r_$fam$kind/"
        build/weights_convert "$T/r_$fam$kind" "$T/r_$fam$kind.gguf" > "$T/conv.log" 2>&1; rc=$?
        check "weights_convert ${fam}_$kind" '[ $rc -eq 0 ] && grep -q "Roberta" "$T/conv.log"' || cat "$T/conv.log"
    done
    if [ -x build/mtl-embed ]; then
        { build/mtl-embed --model "$T/r_${fam}model.gguf" --tokens --quiet < $RD/texts.txt && build/mtl-embed --model "$T/r_${fam}model.gguf" --tokens --pair --quiet < $RD/pairs.tsv; } > "$T/r_tokens.tsv" 2> "$T/e.err"; rc=$?
        msg=$(same_rows $RD/${fam}_tokens.tsv "$T/r_tokens.tsv"); r=$?
        check "${fam}_model: mtl-embed --tokens = HF last_hidden_state (7 texts, one with <pad> inside, one truncated to the last position; 3 pairs): $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
        for pool in cls mean max pooler; do
            { build/mtl-embed --model "$T/r_${fam}model.gguf" --pooling $pool --no-normalize --quiet < $RD/texts.txt &&
              build/mtl-embed --model "$T/r_${fam}model.gguf" --pooling $pool --no-normalize --pair --quiet < $RD/pairs.tsv; } > "$T/r_pool.tsv" 2> "$T/e.err"; rc=$?
            msg=$(same_rows $RD/${fam}_$pool.tsv "$T/r_pool.tsv"); r=$?
            what="sentence-transformers' $pool pooling of HF's hidden states"; [ $pool = pooler ] && what="HF's pooler_output"
            check "${fam}_model: mtl-embed --pooling $pool --no-normalize = $what (texts, pairs): $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
        done
    else
        echo "SKIP cli_heads: no build/mtl-embed (run make)"
    fi
    build/mtl-predict --model "$T/r_${fam}seqcls.gguf" --json --quiet < "$T/r_cls_texts.txt" > "$T/r_s.jsonl" 2> "$T/p.err"; rc=$?
    msg=$(same_rows $RD/${fam}_seqcls.jsonl "$T/r_s.jsonl"); r=$?
    check "${fam}_seqcls (RobertaClassificationHead: dense, tanh, out_proj on <s>): mtl-predict = the text-classification pipeline: labels exact, probabilities $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
    build/mtl-predict --model "$T/r_${fam}seqcls.gguf" --pair --json --quiet < $RD/pairs.tsv > "$T/r_s.jsonl" 2> "$T/p.err"; rc=$?
    msg=$(same_rows $RD/${fam}_seqcls_pairs.jsonl "$T/r_s.jsonl"); r=$?
    check "${fam}_seqcls: mtl-predict --pair = the pipeline on text + text_pair: $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
    build/mtl-predict --model "$T/r_${fam}tokcls.gguf" --json --quiet < $RD/ner_texts.txt > "$T/r_t.jsonl" 2> "$T/p.err"; rc=$?
    check "${fam}_tokcls: mtl-predict = the token-classification pipeline (aggregation first): the same entities" \
        '[ $rc -eq 0 ] && cmp -s $RD/${fam}_tokcls.jsonl "$T/r_t.jsonl"' || diff $RD/${fam}_tokcls.jsonl "$T/r_t.jsonl" | head -5
    build/mtl-eval --model "$T/r_${fam}seqcls.gguf" --cls-test $RD/seqcls_test.tsv --quiet > "$T/e.txt" 2> "$T/e.err"; rc=$?
    awk '/^confusion/ { exit } NR > 1 { l[++n] = $0 } END { while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }' "$T/e.txt" > "$T/e1.txt"
    check "${fam}_seqcls: mtl-eval = scikit-learn's report of the pipeline's predictions" '[ $rc -eq 0 ] && cmp -s $RD/${fam}_seqcls_eval.txt "$T/e1.txt"' || diff $RD/${fam}_seqcls_eval.txt "$T/e1.txt"
    kept_head "${fam}_seqcls --cls-head mlp:$H:tanh" "$T/r_${fam}seqcls.gguf" "$T/r_cls_texts.txt" $RD/${fam}_seqcls.jsonl --cls-train $RD/seqcls_test.tsv --cls-head mlp:$H:tanh
done
# XLM-R with its own tokenizer (tests/data/roberta/xlmr_uni, tools/gen_xlmr_unigram_goldens.py): the
# SentencePiece Unigram of tests/data/unigram/xlmr.json, text in 10 languages, <pad> inside a text, truncation
XU=$RD/xlmr_uni
mkdir "$T/r_xu"
cp tests/data/unigram/xlmr.json "$T/r_xu/tokenizer.json"
cp $XU/config.json $XU/model.safetensors $XU/tokenizer_config.json "$T/r_xu/"
build/weights_convert "$T/r_xu" "$T/r_xu.gguf" > "$T/conv.log" 2>&1; rc=$?
check "weights_convert xlmr_uni (XLMRobertaForSequenceClassification + its Unigram tokenizer.json)" '[ $rc -eq 0 ]' || cat "$T/conv.log"
if [ -x build/mtl-embed ]; then
    { build/mtl-embed --model "$T/r_xu.gguf" --tokens --quiet < $XU/texts.txt && build/mtl-embed --model "$T/r_xu.gguf" --tokens --pair --quiet < $XU/pairs.tsv; } > "$T/r_tokens.tsv" 2> "$T/e.err"; rc=$?
    msg=$(same_rows $XU/tokens.tsv "$T/r_tokens.tsv"); r=$?
    check "xlmr_uni: mtl-embed --tokens = HF last_hidden_state through the Unigram tokenizer (12 texts in 10 languages, <pad> inside one, one truncated; 3 pairs): $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
    { build/mtl-embed --model "$T/r_xu.gguf" --pooling mean --no-normalize --quiet < $XU/texts.txt &&
      build/mtl-embed --model "$T/r_xu.gguf" --pooling mean --no-normalize --pair --quiet < $XU/pairs.tsv; } > "$T/r_pool.tsv" 2> "$T/e.err"; rc=$?
    msg=$(same_rows $XU/mean.tsv "$T/r_pool.tsv"); r=$?
    check "xlmr_uni: mtl-embed --pooling mean = sentence-transformers' mean pooling: $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
fi
build/mtl-predict --model "$T/r_xu.gguf" --json --quiet < $XU/cls_texts.txt > "$T/r_s.jsonl" 2> "$T/p.err"; rc=$?
msg=$(same_rows $XU/seqcls.jsonl "$T/r_s.jsonl"); r=$?
check "xlmr_uni: mtl-predict = the text-classification pipeline (XLMRobertaTokenizerFast): $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
build/mtl-predict --model "$T/r_xu.gguf" --pair --json --quiet < $XU/pairs.tsv > "$T/r_s.jsonl" 2> "$T/p.err"; rc=$?
msg=$(same_rows $XU/seqcls_pairs.jsonl "$T/r_s.jsonl"); r=$?
check "xlmr_uni: mtl-predict --pair = the pipeline on text + text_pair: $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'

mkdir "$T/r_xenc"
cp $RD/tokenizer.json $RD/tokenizer_config.json $RD/xlmr_xenc/config.json $RD/xlmr_xenc/model.safetensors "$T/r_xenc/"
build/weights_convert "$T/r_xenc" "$T/r_xenc.gguf" --quiet > "$T/conv.log" 2>&1 &&
    build/mtl-predict --model "$T/r_xenc.gguf" --pair --json --quiet < $RD/pairs.tsv > "$T/r_x.jsonl" 2> "$T/p.err"; rc=$?
msg=$(same_rows $RD/xlmr_xenc.jsonl "$T/r_x.jsonl"); r=$?
check "xlmr_xenc (a 1-label XLMRobertaForSequenceClassification): mtl-predict --pair = CrossEncoder.predict: scores $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
build/mtl-train --model "$T/r_robertamodel.gguf" --out "$T/r_ck.gguf" --cls-train $RD/seqcls_test.tsv --cls-head mlp:16:tanh --pooling cls \
    --epochs 2 --batch 2 --lr 1e-3 --seed 1 --threads 1 > "$T/t.out" 2> "$T/t.err"; rc=$?
build/mtl-predict --model "$T/r_ck.gguf" --quiet < "$T/r_cls_texts.txt" > "$T/p.out" 2> "$T/p.err" || rc=1
check "mtl-train on the converted RobertaModel (a new tanh MLP head on <s>), then mtl-predict" '[ $rc -eq 0 ] && [ $(wc -l < "$T/p.out") -eq 6 ]' || { head -5 "$T/t.out"; head -5 "$T/t.err"; }

# --- BERT (the backbone: tiny-random-bert from $MTL_SHARED) ---
if [ -d "$TINY" ]; then
    for name in seqcls tokcls xenc xenc_identity; do
        mkdir "$T/$name"
        cp "$TINY/model.safetensors" "$T/$name/backbone.safetensors"
        cp "$TINY/tokenizer.json" "$TINY/tokenizer_config.json" "$TINY/special_tokens_map.json" "$TINY/vocab.txt" "$T/$name/"
        cp "$D/$name/config.json" "$D/$name/classifier.safetensors" "$D/$name/model.safetensors.index.json" "$T/$name/"
        build/weights_convert "$T/$name" "$T/$name.gguf" --quiet > "$T/conv.log" 2>&1; rc=$?
        check "weights_convert $name (a 2-shard checkpoint)" '[ $rc -eq 0 ] && [ -s "$T/$name.gguf" ]' || cat "$T/conv.log"
    done

    # --- mtl-predict = transformers' pipelines ---
    predict_vs_pipelines "BertFor{Sequence,Token}Classification" "$T/seqcls.gguf" "$T/tokcls.gguf" $D
    build/mtl-predict --model "$T/seqcls.gguf" --quiet < $D/texts.txt > "$T/seqcls.txt" 2> "$T/p.err"; rc=$?
    check "mtl-predict text: \"<label> <probability>\" per line" '[ $rc -eq 0 ] && [ "$(head -1 "$T/seqcls.txt")" = "negative 0.6759" ] && [ $(wc -l < "$T/seqcls.txt") -eq 10 ]'
    for x in xenc xenc_identity; do
        build/mtl-predict --model "$T/$x.gguf" --pair --json --quiet < $D/xenc_pairs.tsv > "$T/$x.jsonl" 2> "$T/p.err"; rc=$?
        msg=$(same_rows $D/$x.jsonl "$T/$x.jsonl"); r=$?
        check "mtl-predict --pair on a 1-label cross-encoder ($x) = CrossEncoder.predict: scores $msg" '[ $rc -eq 0 ] && [ $r -eq 0 ]'
    done
    build/mtl-predict --model "$T/xenc.gguf" --pair --quiet < $D/xenc_pairs.tsv > "$T/xenc.txt" 2> "$T/p.err"; rc=$?
    check "mtl-predict --pair text: the score alone" '[ $rc -eq 0 ] && [ "$(head -1 "$T/xenc.txt")" = "0.595510" ]' || head -2 "$T/xenc.txt"
    printf 'no tab here\n' | build/mtl-predict --model "$T/xenc.gguf" --pair --quiet > "$T/p.out" 2> "$T/p.err"; rc=$?
    check "mtl-predict --pair: a line without a TAB is <stdin>:1, exit 1" '[ $rc -eq 1 ] && grep -q "^mtl-predict: <stdin>:1: --pair needs two texts separated by a TAB" "$T/p.err" && [ ! -s "$T/p.out" ]'
    build/mtl-eval --model "$T/xenc.gguf" --cls-test $D/seqcls_test.tsv --quiet > "$T/e.txt" 2> "$T/e.err"; rc=$?
    check "mtl-eval on a 1-label (score) head: exit 1, says why" '[ $rc -eq 1 ] && grep -q "one label, a score" "$T/e.err" && [ ! -s "$T/e.txt" ]'
    printf 'a\tb\n' | build/mtl-predict --model "$T/tokcls.gguf" --pair --quiet > "$T/p.out" 2> "$T/p.err"; rc=$?
    check "mtl-predict --pair without a classification head: exit 1, a message" '[ $rc -eq 1 ] && grep -q "no classification head" "$T/p.err"'

    # --- mtl-eval = scikit-learn / seqeval on the pipelines' predictions ---
    build/mtl-eval --model "$T/seqcls.gguf" --cls-test $D/seqcls_test.tsv --cls-format sst2 --quiet > "$T/e.txt" 2> "$T/e.err"; rc=$?
    awk '/^confusion/ { exit } NR > 1 { l[++n] = $0 } END { while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }' "$T/e.txt" > "$T/e1.txt"
    check "mtl-eval on the converted sequence head = scikit-learn's report of the pipeline's predictions" '[ $rc -eq 0 ] && cmp -s $D/seqcls_eval.txt "$T/e1.txt"' || diff $D/seqcls_eval.txt "$T/e1.txt"
    build/mtl-eval --model "$T/tokcls.gguf" --ner-test $D/tokcls_test.conll --ner-format conll --quiet > "$T/e.txt" 2> "$T/e.err"; rc=$?
    tail -n +2 "$T/e.txt" > "$T/e1.txt"
    check "mtl-eval on the converted token head = seqeval's strict IOB2 report of HF's first-sub-token predictions" '[ $rc -eq 0 ] && cmp -s $D/tokcls_eval.txt "$T/e1.txt"' || diff $D/tokcls_eval.txt "$T/e1.txt"

    # --- mtl-train continues the converted heads ---
    build/mtl-train --model "$T/seqcls.gguf" --out "$T/seq_ck.gguf" --cls-train $D/seqcls_test.tsv --cls-dev $D/seqcls_test.tsv --cls-format sst2 \
        --epochs 1 --batch 4 --lr 1e-3 --seed 1 --threads 1 > "$T/t.out" 2> "$T/t.err"; rc=$?
    check "mtl-train --model <converted BertForSequenceClassification>: the head is kept (pooler pooling), dev accuracy before training 0.5000 = mtl-eval's" \
        '[ $rc -eq 0 ] && grep -q "(heads from the model)" "$T/t.out" && grep -q "pooling pooler\|pooler" "$T/t.out" && grep -q "^\[dev before training\] step 0  cls: loss [0-9.]* accuracy 0.5000 " "$T/t.out"' || { head -5 "$T/t.out"; head -5 "$T/t.err"; }
    build/mtl-predict --model "$T/seq_ck.gguf" --quiet < $D/texts.txt > "$T/p.out" 2> "$T/p.err"; rc=$?
    check "mtl-predict on the continued checkpoint" '[ $rc -eq 0 ] && [ $(wc -l < "$T/p.out") -eq 10 ]'
    kept_head BertForSequenceClassification "$T/seqcls.gguf" $D/texts.txt $D/seqcls.jsonl --cls-train $D/seqcls_test.tsv --cls-format sst2
    kept_head BertForTokenClassification "$T/tokcls.gguf" $D/texts.txt $D/tokcls.jsonl --ner-train $D/tokcls_test.conll --ner-format conll --ner-labels O,B-PER,I-PER,B-LOC,I-LOC
    build/mtl-train --model "$T/tokcls.gguf" --out "$T/tok_ck.gguf" --ner-train $D/tokcls_test.conll --ner-dev $D/tokcls_test.conll --ner-format conll \
        --ner-labels O,B-PER,I-PER,B-LOC,I-LOC --epochs 1 --batch 4 --lr 1e-3 --seed 1 --threads 1 > "$T/t.out" 2> "$T/t.err"; rc=$?
    check "mtl-train --model <converted BertForTokenClassification>: the head is kept, dev entity-F1 before training 0.2800 = mtl-eval's" \
        '[ $rc -eq 0 ] && grep -q "(heads from the model)" "$T/t.out" && grep -q "^\[dev before training\] step 0  ner: loss [0-9.]* entity-F1 0.2800 " "$T/t.out"' || { head -5 "$T/t.out"; head -5 "$T/t.err"; }
else
    echo "SKIP cli_heads: BERT heads: no $TINY"
fi

echo "cli_heads: $pass passed, $fail failed"
[ $fail -eq 0 ]
