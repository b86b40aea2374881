/* convert.h - the parsing and GGUF-writing half of weights_convert, without any file I/O, so that
   tests/fuzz/fuzz_convert.c can call it on arbitrary bytes.

   cv_parse_safetensors  one safetensors file (a buffer) -> tensor table (views into the buffer)
   cv_parse_torchbin     one pytorch_model.bin (torch.save's zip checkpoint) -> the same table (torchbin.h)
   cv_parse_weights      either of the two, told apart by their first bytes
   cv_parse_config       config.json -> cv_config (architecture, sizes, id2label)
   cv_parse_modules      sentence-transformers modules.json -> pooling folder, normalize
   cv_parse_pooling      1_Pooling/config.json -> pooling mode
   cv_parse_sbert        sentence_bert_config.json -> max_seq_length
   cv_parse_index        model.safetensors.index.json / pytorch_model.bin.index.json -> shard file names
   cv_build              everything above + a tokenizer -> the GGUF bytes (meta part + data part),
                         built with mtl_bert.h's GGUF writer (mtl__gw_*: the one writer of the repository)

   Needs the implementations of mtl_bert.h / mtl_tokenizer.h (their JSON reader and error helpers). */
#ifndef MTL_CONVERT_H
#define MTL_CONVERT_H

#ifndef MTL_BERT_IMPLEMENTATION
#define MTL_BERT_IMPLEMENTATION
#endif
#include "../mtl_bert.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#if defined(__GNUC__) || defined(__clang__)
#define CV_FN static __attribute__((unused))
#else
#define CV_FN static
#endif

/* ---------------------------------------------------------------------------------------------- */
/* A growable byte buffer                                                                         */
/* ---------------------------------------------------------------------------------------------- */
/* (mtl_bert.h's GGUF writer buffer: the one writer of the repository) */
typedef mtl__wbuf cv_buf;
CV_FN void cv_put(cv_buf *b, const void *p, size_t n) { mtl__wb_put(b, p, n); }
CV_FN void cv_u32(cv_buf *b, uint32_t v) { mtl__wb_u32(b, v); }
CV_FN void cv_u64(cv_buf *b, uint64_t v) { mtl__wb_u64(b, v); }
CV_FN void cv_str(cv_buf *b, const char *s, size_t n) { mtl__wb_str(b, s, n); }
CV_FN void cv_buf_free(cv_buf *b) { mtl__wb_free(b); }

/* ---------------------------------------------------------------------------------------------- */
/* safetensors                                                                                    */
/* ---------------------------------------------------------------------------------------------- */
enum { CV_F32 = 0, CV_F16 = 1, CV_BF16 = 2, CV_OTHER = 16 }; /* CV_OTHER + element size: not convertible */
typedef struct cv_tensor {
    char *name;
    int dtype, ndim;
    uint64_t shape[4];
    uint64_t numel;
    const unsigned char *data;   /* into the file buffer */
    size_t nbytes;
} cv_tensor;
typedef struct cv_tensors { cv_tensor *t; int n, cap; } cv_tensors;

CV_FN void cv_tensors_free(cv_tensors *ts) {
    int i;
    for (i = 0; i < ts->n; i++) free(ts->t[i].name);
    free(ts->t);
    memset(ts, 0, sizeof *ts);
}

#include "torchbin.h"

/* Parses one safetensors buffer and appends its tensors (views into buf) to ts. `what` names the
   file in messages. */
CV_FN mtl_result cv_parse_safetensors(const unsigned char *buf, size_t len, const char *what, cv_tensors *ts, mtl_error *err) {
    uint64_t hlen = 0;
    size_t data_len;
    const unsigned char *data;
    mtl__json j;
    int c, k;
    mtl_result r = MTL_OK;
    if (len < 8) return mtl__err(err, MTL_ERR_FORMAT, "%s: too short for a safetensors file", what);
    for (k = 7; k >= 0; k--) hlen = hlen << 8 | buf[k];
    if (hlen < 2 || hlen > len - 8) return mtl__err(err, MTL_ERR_FORMAT, "%s: bad safetensors header length", what);
    data = buf + 8 + hlen;
    data_len = len - 8 - (size_t)hlen;
    if (mtl__json_parse(&j, (const char *)buf + 8, (size_t)hlen) != 0) {
        r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad safetensors header: %s", what, j.error ? j.error : "?");
        mtl__json_free(&j);
        return r;
    }
    if (j.nodes[0].type != MTL__J_OBJ) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_FORMAT, "%s: header is not an object", what); }
    for (c = j.nodes[0].child; c >= 0 && !r; c = j.nodes[c].next) {
        const mtl__jnode *nd = &j.nodes[c];
        size_t kl = nd->kend - nd->kstart;
        int dt, sh, of, e, nd_i = 0;
        cv_tensor t;
        uint64_t b0 = 0, b1 = 0, esz;
        int64_t v;
        if (kl == 12 && memcmp(j.s + nd->kstart, "__metadata__", 12) == 0) continue;
        if (nd->type != MTL__J_OBJ) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor entry is not an object", what); break; }
        memset(&t, 0, sizeof t);
        dt = mtl__json_get(&j, c, "dtype");
        sh = mtl__json_get(&j, c, "shape");
        of = mtl__json_get(&j, c, "data_offsets");
        if (mtl__json_streq(&j, dt, "F32")) t.dtype = CV_F32;
        else if (mtl__json_streq(&j, dt, "F16")) t.dtype = CV_F16;
        else if (mtl__json_streq(&j, dt, "BF16")) t.dtype = CV_BF16;
        else {
            /* other dtypes (e.g. the I64 position_ids buffer) are kept in the table but cannot be converted */
            static const char *const other[10] = {"F64", "I64", "U64", "I32", "U32", "I16", "U16", "I8", "U8", "BOOL"};
            static const int osz[10] = {8, 8, 8, 4, 4, 2, 2, 1, 1, 1};
            int q;
            for (q = 0; q < 10; q++) if (mtl__json_streq(&j, dt, other[q])) break;
            if (q == 10) {
                char dn[16];
                size_t dl = 0;
                if (mtl__json_type(&j, dt) == MTL__J_STR) { dl = j.nodes[dt].end - j.nodes[dt].start; if (dl > 15) dl = 15; memcpy(dn, j.s + j.nodes[dt].start, dl); }
                dn[dl] = 0;
                r = mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: unknown dtype '%s'", what, dn);
                break;
            }
            t.dtype = CV_OTHER + osz[q];
        }
        if (mtl__json_type(&j, sh) != MTL__J_ARR || j.nodes[sh].count > 4 || mtl__json_type(&j, of) != MTL__J_ARR || j.nodes[of].count != 2) {
            r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad shape or data_offsets", what);
            break;
        }
        t.numel = 1;
        for (e = j.nodes[sh].child; e >= 0; e = j.nodes[e].next) {
            if (!mtl__json_i64(&j, e, 0, (int64_t)1 << 40, &v) || (v && t.numel > ((uint64_t)1 << 40) / (uint64_t)v)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad shape", what); break; }
            t.shape[nd_i++] = (uint64_t)v;
            t.numel *= (uint64_t)v;
        }
        if (r) break;
        t.ndim = nd_i;
        e = j.nodes[of].child;
        if (!mtl__json_i64(&j, e, 0, (int64_t)1 << 50, &v)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad data_offsets", what); break; }
        b0 = (uint64_t)v;
        if (!mtl__json_i64(&j, j.nodes[e].next, 0, (int64_t)1 << 50, &v)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad data_offsets", what); break; }
        b1 = (uint64_t)v;
        esz = t.dtype == CV_F32 ? 4 : t.dtype >= CV_OTHER ? (uint64_t)(t.dtype - CV_OTHER) : 2;
        if (b0 > b1 || b1 > data_len || b1 - b0 != t.numel * esz) {
            r = mtl__err(err, MTL_ERR_FORMAT, "%s: data_offsets out of range or not matching the shape", what);
            break;
        }
        t.data = data + b0;
        t.nbytes = (size_t)(b1 - b0);
        t.name = (char *)malloc(kl + 1);
        if (!t.name) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); break; }
        memcpy(t.name, j.s + nd->kstart, nd->kend - nd->kstart);
        t.name[nd->kend - nd->kstart] = 0;
        r = cv__tensors_push(ts, &t, err);
    }
    mtl__json_free(&j);
    return r;
}

/* A weights file: a zip archive is a torch checkpoint (pytorch_model.bin), torch's format from before
   1.6 (pickles, starting with its magic number) is refused by name, anything else is read as
   safetensors (whose first 8 bytes are its header's length: "PK\3\4" or the magic number there would
   mean a header of over 64 MiB of exactly that length). */
CV_FN mtl_result cv_parse_weights(const unsigned char *buf, size_t len, const char *what, cv_tensors *ts, mtl_error *err) {
    if (len >= 4 && buf[0] == 'P' && buf[1] == 'K' && ((buf[2] == 3 && buf[3] == 4) || (buf[2] == 5 && buf[3] == 6)))
        return cv_parse_torchbin(buf, len, what, ts, err);
    if (len >= 14 && !memcmp(buf, "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 14))   /* its magic number, pickled */
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: a torch checkpoint in the format of torch before 1.6 (not a zip archive) is not supported; "
                        "save it again with a newer torch or as safetensors", what);
    return cv_parse_safetensors(buf, len, what, ts, err);
}

/* ---------------------------------------------------------------------------------------------- */
/* config.json and the sentence-transformers files                                                */
/* ---------------------------------------------------------------------------------------------- */
#define CV_MAX_LABELS 4096
typedef struct cv_config {
    mtl_head_kind head;
    int distil;                /* model_type "distilbert": its names and keys; no token types, no pooler */
    int roberta;               /* model_type "roberta" / "xlm-roberta": BERT's layer under "roberta.", RoBERTa's
                                  position ids (padding_idx = pad_token_id), RobertaClassificationHead */
    char arch[64];
    long vocab_size, hidden_size, n_layers, n_heads, intermediate_size, max_position, type_vocab_size;
    double layer_norm_eps;
    double initializer_range;  /* 0.02 when absent (HF's default), -1 when not a number in [0, 10) */
    long pad_token_id;         /* 0 when absent, -1 when not a token id */
    char name[128];
    int n_labels;            /* from id2label */
    char **labels;           /* [n_labels] (index = id) */
    int score_identity;      /* sentence-transformers' activation_fn (a cross-encoder's score): 1 Identity, */
                             /* 0 Sigmoid or none given (CrossEncoder's default for one label)           */
} cv_config;

CV_FN void cv_config_free(cv_config *c) {
    int i;
    for (i = 0; i < c->n_labels; i++) free(c->labels[i]);
    free(c->labels);
    c->labels = NULL;
    c->n_labels = 0;
}

CV_FN void cv_copy_str(const mtl__json *j, int node, char *out, size_t cap) {
    size_t n;
    out[0] = 0;
    if (mtl__json_type(j, node) != MTL__J_STR) return;
    n = j->nodes[node].end - j->nodes[node].start;
    if (n >= cap) n = cap - 1;
    memcpy(out, j->s + j->nodes[node].start, n);
    out[n] = 0;
}

CV_FN mtl_result cv_parse_config(const char *s, size_t len, cv_config *c, mtl_error *err) {
    mtl__json j;
    int root, a, k;
    mtl_result r = MTL_OK;
    char model_type[64];
    static const char *const keys[7] = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                        "intermediate_size", "max_position_embeddings", "type_vocab_size"};
    static const char *const dkeys[6] = {"vocab_size", "dim", "n_layers", "n_heads", "hidden_dim", "max_position_embeddings"};
    long *dst[7];
    memset(c, 0, sizeof *c);
    if (mtl__json_parse(&j, s, len) != 0 || j.nodes[0].type != MTL__J_OBJ) {
        r = mtl__err(err, MTL_ERR_FORMAT, "config.json: not a JSON object (%s)", j.error ? j.error : "?");
        mtl__json_free(&j);
        return r;
    }
    root = 0;
    cv_copy_str(&j, mtl__json_get(&j, root, "model_type"), model_type, sizeof model_type);
    a = mtl__json_get(&j, root, "architectures");
    if (mtl__json_type(&j, a) == MTL__J_ARR && j.nodes[a].count >= 1) cv_copy_str(&j, j.nodes[a].child, c->arch, sizeof c->arch);
    else strcpy(c->arch, "BertModel");
    cv_copy_str(&j, mtl__json_get(&j, root, "_name_or_path"), c->name, sizeof c->name);
    c->distil = !strcmp(model_type, "distilbert");
    c->roberta = !strcmp(model_type, "roberta") || !strcmp(model_type, "xlm-roberta");
    if (strcmp(model_type, "bert") != 0 && !c->distil && !c->roberta) {
        r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: model_type '%s' (%s) is not supported yet (BERT, DistilBERT, RoBERTa, XLM-RoBERTa)", model_type, c->arch);
        goto done;
    }
    {   /* (Bert|DistilBert|Roberta|XLMRoberta)X: X names the head */
        const char *fam = c->distil ? "DistilBert" : !c->roberta ? "Bert" : model_type[0] == 'x' ? "XLMRoberta" : "Roberta";
        const size_t fl = strlen(fam);
        const char *x = c->arch + fl;
        if (a < 0 || mtl__json_type(&j, a) != MTL__J_ARR || j.nodes[a].count < 1) { strcpy(c->arch, fam); strcat(c->arch, "Model"); }   /* (none listed) */
        if (strncmp(c->arch, fam, fl) != 0) x = "?";
        if (!strcmp(x, "Model") || !strcmp(x, "ForMaskedLM") || (!c->distil && !c->roberta && !strcmp(x, "ForPreTraining"))) c->head = MTL_HEAD_NONE;
        else if (!strcmp(x, "ForSequenceClassification")) c->head = MTL_HEAD_SEQUENCE;
        else if (!strcmp(x, "ForTokenClassification")) c->head = MTL_HEAD_TOKEN;
        else if (!strcmp(x, "ForCausalLM")) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: architecture %s is a decoder (causal attention, an LM head): not supported", c->arch); goto done; }
        else if (!strcmp(x, "ForQuestionAnswering") || !strcmp(x, "ForMultipleChoice"))
            { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: architecture %s is not supported yet (mtl's heads: sequence and token classification)", c->arch); goto done; }
        else { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: architecture %s is not supported yet", c->arch); goto done; }
    }
    dst[0] = &c->vocab_size; dst[1] = &c->hidden_size; dst[2] = &c->n_layers; dst[3] = &c->n_heads;
    dst[4] = &c->intermediate_size; dst[5] = &c->max_position; dst[6] = &c->type_vocab_size;
    c->type_vocab_size = 2;   /* DistilBERT has no token types: a zero table of 2 rows (pairs' types 0 / 1 add nothing) */
    for (k = 0; k < (c->distil ? 6 : 7); k++) {
        if (!mtl__json_int(&j, mtl__json_get(&j, root, c->distil ? dkeys[k] : keys[k]), 1, 1L << 24, dst[k])) {
            r = mtl__err(err, MTL_ERR_FORMAT, "config.json: %s is missing or out of range", c->distil ? dkeys[k] : keys[k]);
            goto done;
        }
    }
    if (c->hidden_size % c->n_heads) { r = mtl__err(err, MTL_ERR_SHAPE, "config.json: %s", c->distil ? "dim is not a multiple of n_heads" : "hidden_size is not a multiple of num_attention_heads"); goto done; }
    if (c->n_layers > 1024) { r = mtl__err(err, MTL_ERR_FORMAT, "config.json: too many layers"); goto done; }
    c->layer_norm_eps = 1e-12;
    a = mtl__json_get(&j, root, "layer_norm_eps");
    if (a >= 0 && (!mtl__json_number(&j, a, &c->layer_norm_eps) || !(c->layer_norm_eps >= 0 && c->layer_norm_eps < 1))) {
        r = mtl__err(err, MTL_ERR_FORMAT, "config.json: bad layer_norm_eps");
        goto done;
    }
    /* (only a model from scratch uses these: the converter does not refuse a file for them) */
    c->initializer_range = 0.02;
    a = mtl__json_get(&j, root, "initializer_range");
    if (a >= 0 && (!mtl__json_number(&j, a, &c->initializer_range) || !(c->initializer_range >= 0 && c->initializer_range < 10))) c->initializer_range = -1;
    if (c->roberta) c->pad_token_id = 1;   /* RobertaConfig's default */
    a = mtl__json_get(&j, root, "pad_token_id");
    if (a >= 0 && mtl__json_type(&j, a) != MTL__J_NULL && !mtl__json_int(&j, a, 0, c->vocab_size - 1, &c->pad_token_id)) c->pad_token_id = -1;
    if (c->roberta && ((a >= 0 && mtl__json_type(&j, a) == MTL__J_NULL) || c->pad_token_id < 0 || c->pad_token_id > c->max_position - 2)) {
        /* RoBERTa's position ids start at padding_idx + 1 = pad_token_id + 1 */
        r = mtl__err(err, MTL_ERR_FORMAT, "config.json: %s needs pad_token_id in 0 .. max_position_embeddings - 2 (its position ids start at pad_token_id + 1)", c->arch);
        goto done;
    }
    a = mtl__json_get(&j, root, c->distil ? "activation" : "hidden_act");
    if (a >= 0 && !mtl__json_streq(&j, a, "gelu")) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: %s other than gelu is not supported yet", c->distil ? "activation" : "hidden_act"); goto done; }
    a = mtl__json_get(&j, root, "position_embedding_type");
    if (a >= 0 && mtl__json_type(&j, a) != MTL__J_NULL && !mtl__json_streq(&j, a, "absolute")) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: position_embedding_type other than absolute is not supported yet"); goto done; }
    a = mtl__json_bool(&j, root, "is_decoder", 0);
    if (a == 1) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: a decoder (is_decoder: causal attention) is not supported"); goto done; }
    /* CrossEncoder.predict's activation: config.sentence_transformers.activation_fn (v4+), else
       sbert_ce_default_activation_function (earlier); none: Sigmoid for one label */
    a = mtl__json_get(&j, mtl__json_get(&j, root, "sentence_transformers"), "activation_fn");
    if (mtl__json_type(&j, a) != MTL__J_STR) a = mtl__json_get(&j, root, "sbert_ce_default_activation_function");
    if (c->head == MTL_HEAD_SEQUENCE && mtl__json_type(&j, a) == MTL__J_STR) {
        char fn[96];
        size_t fl;
        cv_copy_str(&j, a, fn, sizeof fn);
        fl = strlen(fn);
        if (fl >= 8 && !strcmp(fn + fl - 8, "Identity")) c->score_identity = 1;
        else if (!(fl >= 7 && !strcmp(fn + fl - 7, "Sigmoid"))) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "config.json: activation_fn %s is not supported (Identity or Sigmoid)", fn); goto done; }
    }
    a = mtl__json_get(&j, root, "id2label");
    if (c->head != MTL_HEAD_NONE && mtl__json_type(&j, a) == MTL__J_OBJ && j.nodes[a].count > 0 && j.nodes[a].count <= CV_MAX_LABELS) {
        int e, n = j.nodes[a].count;
        c->labels = (char **)calloc((size_t)n, sizeof(char *));
        if (!c->labels) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        c->n_labels = n;
        for (e = j.nodes[a].child; e >= 0; e = j.nodes[e].next) {
            long id = -1;
            size_t kl = j.nodes[e].kend - j.nodes[e].kstart, q;
            for (q = 0, id = kl ? 0 : -1; q < kl && id >= 0; q++) {
                char ch = j.s[j.nodes[e].kstart + q];
                id = (ch >= '0' && ch <= '9' && id < 100000) ? id * 10 + (ch - '0') : -1;
            }
            if (id < 0 || id >= n || c->labels[id] || mtl__json_type(&j, e) != MTL__J_STR) {
                r = mtl__err(err, MTL_ERR_FORMAT, "config.json: id2label must map 0..n-1 to strings");
                goto done;
            }
            c->labels[id] = mtl__json_strdup(&j, e, NULL);
            if (!c->labels[id]) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        }
    }
done:
    mtl__json_free(&j);
    if (r) cv_config_free(c);
    return r;
}

/* modules.json: the Pooling module's folder (pool_dir, "" if none) and whether a Normalize follows. */
CV_FN mtl_result cv_parse_modules(const char *s, size_t len, char *pool_dir, size_t cap, int *normalize, mtl_error *err) {
    mtl__json j;
    int e;
    mtl_result r = MTL_OK;
    pool_dir[0] = 0;
    *normalize = 0;
    if (mtl__json_parse(&j, s, len) != 0 || j.nodes[0].type != MTL__J_ARR) {
        mtl__json_free(&j);
        return mtl__err(err, MTL_ERR_FORMAT, "modules.json: not a JSON array");
    }
    for (e = j.nodes[0].child; e >= 0; e = j.nodes[e].next) {
        int ty = mtl__json_get(&j, e, "type");
        if (mtl__json_type(&j, ty) != MTL__J_STR) { r = mtl__err(err, MTL_ERR_FORMAT, "modules.json: a module without a type"); break; }
        if (mtl__json_streq(&j, ty, "sentence_transformers.models.Transformer")) continue;
        if (mtl__json_streq(&j, ty, "sentence_transformers.models.Pooling")) { cv_copy_str(&j, mtl__json_get(&j, e, "path"), pool_dir, cap); if (!pool_dir[0]) strcpy(pool_dir, "1_Pooling"); continue; }
        if (mtl__json_streq(&j, ty, "sentence_transformers.models.Normalize")) { *normalize = 1; continue; }
        {
            char tn[96];
            cv_copy_str(&j, ty, tn, sizeof tn);
            r = mtl__err(err, MTL_ERR_UNSUPPORTED, "modules.json: module %s is not supported yet", tn);
            break;
        }
    }
    mtl__json_free(&j);
    return r;
}

/* 1_Pooling/config.json -> MTL_POOL_CLS / MEAN / MAX. */
CV_FN mtl_result cv_parse_pooling(const char *s, size_t len, mtl_pooling *pool, mtl_error *err) {
    mtl__json j;
    int n = 0, k;
    mtl_result r = MTL_OK;
    static const char *const other[4] = {"pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken", "include_prompt_x"};
    *pool = MTL_POOL_CLS;
    if (mtl__json_parse(&j, s, len) != 0 || j.nodes[0].type != MTL__J_OBJ) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_FORMAT, "pooling config: not a JSON object"); }
    if (mtl__json_bool(&j, 0, "pooling_mode_cls_token", 0) == 1) { *pool = MTL_POOL_CLS; n++; }
    if (mtl__json_bool(&j, 0, "pooling_mode_mean_tokens", 0) == 1) { *pool = MTL_POOL_MEAN; n++; }
    if (mtl__json_bool(&j, 0, "pooling_mode_max_tokens", 0) == 1) { *pool = MTL_POOL_MAX; n++; }
    for (k = 0; k < 3; k++) if (mtl__json_bool(&j, 0, other[k], 0) == 1) r = mtl__err(err, MTL_ERR_UNSUPPORTED, "pooling config: %s is not supported yet", other[k]);
    if (!r && n > 1) r = mtl__err(err, MTL_ERR_UNSUPPORTED, "pooling config: several pooling modes at once are not supported yet");
    if (!r && n == 0) {
        int pm = mtl__json_get(&j, 0, "pooling_mode");
        if (mtl__json_streq(&j, pm, "mean")) *pool = MTL_POOL_MEAN;
        else if (mtl__json_streq(&j, pm, "max")) *pool = MTL_POOL_MAX;
        else if (mtl__json_streq(&j, pm, "cls")) *pool = MTL_POOL_CLS;
        else r = mtl__err(err, MTL_ERR_UNSUPPORTED, "pooling config: no supported pooling mode");
    }
    mtl__json_free(&j);
    return r;
}

/* sentence_bert_config.json -> max_seq_length (0 if absent). */
CV_FN mtl_result cv_parse_sbert(const char *s, size_t len, long *max_seq_length, mtl_error *err) {
    mtl__json j;
    int a;
    *max_seq_length = 0;
    if (mtl__json_parse(&j, s, len) != 0 || j.nodes[0].type != MTL__J_OBJ) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_FORMAT, "sentence_bert_config.json: not a JSON object"); }
    a = mtl__json_get(&j, 0, "max_seq_length");
    if (a >= 0 && !mtl__json_int(&j, a, 1, 1L << 24, max_seq_length)) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_FORMAT, "sentence_bert_config.json: bad max_seq_length"); }
    mtl__json_free(&j);
    return MTL_OK;
}

/* model.safetensors.index.json (or pytorch_model.bin.index.json: what names it) -> the distinct shard
   file names (malloc'ed; free each and the array). */
CV_FN mtl_result cv_parse_index_ex(const char *s, size_t len, const char *what, char ***files, int *n_files, mtl_error *err) {
    mtl__json j;
    int wm, e, k;
    mtl_result r = MTL_OK;
    *files = NULL;
    *n_files = 0;
    if (mtl__json_parse(&j, s, len) != 0 || j.nodes[0].type != MTL__J_OBJ) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_FORMAT, "%s: not a JSON object", what); }
    wm = mtl__json_get(&j, 0, "weight_map");
    if (mtl__json_type(&j, wm) != MTL__J_OBJ) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_FORMAT, "%s: no weight_map", what); }
    *files = (char **)calloc((size_t)j.nodes[wm].count + 1, sizeof(char *));
    if (!*files) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    for (e = j.nodes[wm].child; e >= 0 && !r; e = j.nodes[e].next) {
        char *f;
        int dup = 0;
        if (mtl__json_type(&j, e) != MTL__J_STR) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad weight_map entry", what); break; }
        f = mtl__json_strdup(&j, e, NULL);
        if (!f) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); break; }
        if (!f[0] || strchr(f, '/') || strchr(f, '\\')) { free(f); r = mtl__err(err, MTL_ERR_FORMAT, "%s: bad shard file name", what); break; }
        for (k = 0; k < *n_files; k++) if (!strcmp((*files)[k], f)) dup = 1;
        if (dup) free(f); else (*files)[(*n_files)++] = f;
    }
    mtl__json_free(&j);
    if (r) {
        for (k = 0; k < *n_files; k++) free((*files)[k]);
        free(*files);
        *files = NULL;
        *n_files = 0;
    }
    return r;
}

CV_FN mtl_result cv_parse_index(const char *s, size_t len, char ***files, int *n_files, mtl_error *err) {
    return cv_parse_index_ex(s, len, "model.safetensors.index.json", files, n_files, err);
}

/* ---------------------------------------------------------------------------------------------- */
/* GGUF building                                                                                  */
/* ---------------------------------------------------------------------------------------------- */
typedef struct cv_extra {
    mtl_pooling pooling;     /* MTL_POOL_DEFAULT: none given (stored as cls) */
    int normalize;
    long max_seq_length;     /* 0: none */
    int out_f16;             /* 2-D tensors as F16 */
    /* progress (NULL: none): after each tensor converted, the source bytes done so far and in all */
    void (*progress)(void *ud, double done, double total);
    void *progress_ud;
} cv_extra;

typedef mtl__gw cv_gguf;   /* mtl_bert.h's GGUF writer */

CV_FN uint16_t cv_f32_to_f16(float f) {
    uint32_t x, sign, e, m;
    memcpy(&x, &f, 4);
    sign = (x >> 16) & 0x8000u;
    e = (x >> 23) & 0xFFu;
    m = x & 0x7FFFFFu;
    if (e == 0xFF) return (uint16_t)(sign | 0x7C00u | (m ? 0x200u : 0u));
    if (e > 142) return (uint16_t)(sign | 0x7C00u); /* overflow -> inf */
    if (e < 113) {                                  /* subnormal or zero in half */
        uint32_t shift, mm, half, rem;
        if (e < 102) return (uint16_t)sign;
        mm = m | 0x800000u;
        shift = 126 - e;                            /* 14..24 */
        half = mm >> shift;
        rem = mm & ((1u << shift) - 1);
        if (rem > (1u << (shift - 1)) || (rem == (1u << (shift - 1)) && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    {
        uint32_t h = ((e - 112) << 10) | (m >> 13), rem = m & 0x1FFFu;
        if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) h++; /* may carry into the exponent: correct */
        return (uint16_t)(sign | h);
    }
}

/* Adds one tensor: src (any dtype) -> F32 or F16 in the data section, with ggml dims ne0 (fastest), ne1. */
CV_FN void cv_tensor_out(cv_gguf *g, const char *name, const cv_tensor *src, uint64_t ne0, uint64_t ne1, int f16) {
    uint64_t k;
    mtl__gw_tensor(g, name, ne0, ne1, f16 ? MTL__GGML_F16 : MTL__GGML_F32);
    for (k = 0; k < src->numel; k++) {
        const unsigned char *p = src->data + (size_t)k * (src->dtype == CV_F32 ? 4 : 2);
        float f;
        if (src->dtype == CV_F32) { uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; memcpy(&f, &u, 4); }
        else {
            uint16_t h = (uint16_t)(p[0] | p[1] << 8);
            if (f16 && src->dtype == CV_F16) { cv_put(&g->data, p, 2); continue; }
            f = src->dtype == CV_F16 ? mtl__f16_to_f32(h) : mtl__bf16_to_f32(h);
        }
        if (f16) { uint16_t h = cv_f32_to_f16(f); unsigned char b[2]; b[0] = (unsigned char)h; b[1] = (unsigned char)(h >> 8); cv_put(&g->data, b, 2); }
        else { uint32_t u; memcpy(&u, &f, 4); cv_u32(&g->data, u); }
    }
}

/* Tensor `name` (with or without the "bert." / "distilbert." / "roberta." prefix), or NULL. */
CV_FN const cv_tensor *cv_find(const cv_tensors *ts, const char *name) {
    int i;
    for (i = 0; i < ts->n; i++) {
        const char *n = ts->t[i].name;
        if (!strcmp(n, name)) return &ts->t[i];
        if (!strncmp(n, "bert.", 5) && !strcmp(n + 5, name)) return &ts->t[i];
        if (!strncmp(n, "distilbert.", 11) && !strcmp(n + 11, name)) return &ts->t[i];
        if (!strncmp(n, "roberta.", 8) && !strcmp(n + 8, name)) return &ts->t[i];
    }
    return NULL;
}

/* Checks a torch shape ([d0] or [d0,d1]) and adds it under gguf_name with ggml dims reversed. */
CV_FN mtl_result cv_add(cv_gguf *g, const cv_tensors *ts, const char *hf, const char *alt, const char *gguf_name,
                         uint64_t d0, uint64_t d1, int optional, int f16, int *found, mtl_error *err) {
    const cv_tensor *t = cv_find(ts, hf);
    if (!t && alt) t = cv_find(ts, alt);
    if (found) *found = t != NULL;
    if (!t) return optional ? MTL_OK : mtl__err(err, MTL_ERR_FORMAT, "tensor %s is missing from the weights", hf);
    if (t->dtype >= CV_OTHER) return mtl__err(err, MTL_ERR_UNSUPPORTED, "tensor %s: dtype is not F32, F16 or BF16", hf);
    if (d1 == 0 ? (t->ndim != 1 || t->shape[0] != d0) : (t->ndim != 2 || t->shape[0] != d0 || t->shape[1] != d1)) {
        return mtl__err(err, MTL_ERR_SHAPE, "tensor %s has shape [%lu%s%lu], expected [%lu%s%lu]", hf,
                        (unsigned long)t->shape[0], t->ndim > 1 ? "," : "", t->ndim > 1 ? (unsigned long)t->shape[1] : 0ul,
                        (unsigned long)d0, d1 ? "," : "", (unsigned long)d1);
    }
    cv_tensor_out(g, gguf_name, t, d1 ? d1 : d0, d1 ? d0 : 1, f16);
    return MTL_OK;
}

/* The source bytes of tensor name (or alt), 0 when absent: progress. */
CV_FN double cv_nbytes(const cv_tensors *ts, const char *name, const char *alt) {
    const cv_tensor *t = cv_find(ts, name);
    if (!t && alt) t = cv_find(ts, alt);
    return t ? (double)t->nbytes : 0.0;
}

/* Builds the whole GGUF: *meta = header + key/values + tensor infos + padding, *data = tensor data.
   The file is meta followed by data. */
CV_FN mtl_result cv_build(const cv_config *c, const cv_tensors *ts, const mtl_tokenizer *tok, const cv_extra *x,
                           cv_buf *meta, cv_buf *data, mtl_error *err) {
    cv_gguf g;
    mtl_result r = MTL_OK;
    uint64_t H = (uint64_t)c->hidden_size, I = (uint64_t)c->intermediate_size;
    int l, nv = mtl_tokenizer_vocab_size(tok), i, f16 = x->out_f16, found;
    char hf[128], gn[128], alt[128];
    mtl_pooling pool = x->pooling == MTL_POOL_DEFAULT ? MTL_POOL_CLS : x->pooling;
    double done_b = 0.0, total_b = 0.0;   /* progress */
    memset(&g, 0, sizeof g);
    memset(meta, 0, sizeof *meta);
    memset(data, 0, sizeof *data);
    if (nv < 1 || nv > c->vocab_size) return mtl__err(err, MTL_ERR_SHAPE, "the tokenizer has %d tokens but vocab_size is %ld", nv, c->vocab_size);
    /* key/values (mtl_bert.h's writer: the same keys as the trainer's checkpoints) */
    {
        mtl__gw_bert bk;
        memset(&bk, 0, sizeof bk);
        bk.name = c->name;
        bk.f16 = f16;
        bk.hidden_size = c->hidden_size; bk.intermediate_size = c->intermediate_size; bk.n_layers = c->n_layers;
        bk.n_heads = c->n_heads; bk.max_position = c->max_position; bk.type_vocab_size = c->type_vocab_size;
        bk.layer_norm_eps = (float)c->layer_norm_eps;
        bk.roberta = c->roberta;
        bk.position_padding_idx = c->pad_token_id;
        bk.pooling = pool;
        bk.normalize = x->normalize;
        bk.max_seq_length = x->max_seq_length;
        mtl__gw_bert_keys(&g, &bk);
        mtl__gw_tokenizer(&g, tok, c->type_vocab_size);
        mtl__gw_embed_keys(&g, &bk);
    }

    /* tensors */
    for (i = 0; i < ts->n; i++) total_b += (double)ts->t[i].nbytes;
#define CV_ADD(h, a, n, d0, d1, opt) do { if ((r = cv_add(&g, ts, h, a, n, d0, d1, opt, f16, &found, err)) != MTL_OK) goto done; \
        if (found && x->progress) x->progress(x->progress_ud, done_b += cv_nbytes(ts, h, a), total_b); } while (0)
    CV_ADD("embeddings.word_embeddings.weight", NULL, "token_embd.weight", (uint64_t)c->vocab_size, H, 0);
    CV_ADD("embeddings.position_embeddings.weight", NULL, "position_embd.weight", (uint64_t)c->max_position, H, 0);
    if (!c->distil) CV_ADD("embeddings.token_type_embeddings.weight", NULL, "token_types.weight", (uint64_t)c->type_vocab_size, H, 0);
    else {   /* DistilBERT: no token types, the same sum with a zero table (x + 0 = x) */
        cv_tensor z;
        memset(&z, 0, sizeof z);
        z.dtype = CV_F32;
        z.numel = (uint64_t)c->type_vocab_size * H;
        if (!(z.data = (const unsigned char *)calloc((size_t)z.numel, 4))) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        cv_tensor_out(&g, "token_types.weight", &z, H, (uint64_t)c->type_vocab_size, f16);
        free((void *)z.data);
    }
    CV_ADD("embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma", "token_embd_norm.weight", H, 0, 0);
    CV_ADD("embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta", "token_embd_norm.bias", H, 0, 0);
    for (l = 0; l < c->n_layers; l++) {
        static const char *const hfn[8] = {"attention.self.query", "attention.self.key", "attention.self.value",
                                           "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
                                           "output.dense", "output.LayerNorm"};
        /* DistilBERT's layer is BERT's post-LN layer under other names */
        static const char *const dfn[8] = {"attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin",
                                           "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm"};
        static const char *const ggn[8] = {"attn_q", "attn_k", "attn_v", "attn_output", "attn_output_norm", "ffn_up",
                                           "ffn_down", "layer_output_norm"};
        const char *lay = c->distil ? "transformer.layer" : "encoder.layer";
        int k;
        for (k = 0; k < 8; k++) {
            uint64_t d0 = k == 5 ? I : H, d1 = k == 6 ? I : H;
            int norm = k == 4 || k == 7;
            const char *hn = c->distil ? dfn[k] : hfn[k];
            sprintf(hf, "%s.%d.%s.weight", lay, l, hn);
            sprintf(alt, "%s.%d.%s.gamma", lay, l, hn);
            sprintf(gn, "blk.%d.%s.weight", l, ggn[k]);
            CV_ADD(hf, norm ? alt : NULL, gn, d0, norm ? 0 : d1, 0);
            sprintf(hf, "%s.%d.%s.bias", lay, l, hn);
            sprintf(alt, "%s.%d.%s.beta", lay, l, hn);
            sprintf(gn, "blk.%d.%s.bias", l, ggn[k]);
            CV_ADD(hf, norm ? alt : NULL, gn, d0, 0, 0);
        }
    }
    if (!c->distil) CV_ADD("pooler.dense.weight", NULL, "mtl.pooler.weight", H, H, 1);
    if (!c->distil && found) CV_ADD("pooler.dense.bias", NULL, "mtl.pooler.bias", H, 0, 0);
    if ((c->distil || c->roberta) && c->head == MTL_HEAD_SEQUENCE) {
        /* DistilBertForSequenceClassification: classifier(dropout(relu(pre_classifier(h[CLS])))), and
           RobertaForSequenceClassification's RobertaClassificationHead: out_proj(dropout(tanh(dense(
           dropout(h[<s>]))))): the trainer's MLP head (hidden = H, ReLU / tanh, cls pooling) */
        const char *wn = c->roberta ? "classifier.out_proj.weight" : "classifier.weight";
        const cv_tensor *cw = cv_find(ts, wn);
        mtl__gw_head hk;
        memset(&hk, 0, sizeof hk);
        if (!cw || cw->ndim != 2) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor %s is missing", c->arch, wn); goto done; }
        hk.num_labels = (int)(cw->shape[0] <= CV_MAX_LABELS ? cw->shape[0] : 0);
        if (c->n_labels && c->n_labels != hk.num_labels) { r = mtl__err(err, MTL_ERR_SHAPE, "%s has %lu rows but id2label has %d labels", wn, (unsigned long)cw->shape[0], c->n_labels); goto done; }
        if (hk.num_labels < 1) { r = mtl__err(err, MTL_ERR_SHAPE, "%s: bad number of labels", wn); goto done; }
        hk.hidden = (int)H;
        hk.act = c->roberta ? MTL_ACT_TANH : MTL_ACT_RELU;
        hk.pooling = "cls";
        hk.prefix = "cls_head";
        hk.loss_weight = 1.0;
        hk.labels = (const char *const *)c->labels;
        mtl__gw_head_keys(&g, &hk);
        if (hk.num_labels == 1) mtl__gw_str(&g, "mtl.head.cls.score", c->score_identity ? "identity" : "sigmoid");
        CV_ADD(c->roberta ? "classifier.dense.weight" : "pre_classifier.weight", NULL, "mtl.head.cls.dense.weight", H, H, 0);
        CV_ADD(c->roberta ? "classifier.dense.bias" : "pre_classifier.bias", NULL, "mtl.head.cls.dense.bias", H, 0, 0);
        CV_ADD(wn, NULL, "mtl.head.cls.out_proj.weight", (uint64_t)hk.num_labels, H, 0);
        CV_ADD(c->roberta ? "classifier.out_proj.bias" : "classifier.bias", NULL, "mtl.head.cls.out_proj.bias", (uint64_t)hk.num_labels, 0, 0);
    } else if (c->head != MTL_HEAD_NONE) {
        const cv_tensor *cw = cv_find(ts, "classifier.weight");
        uint64_t nl;
        if (!cw || cw->ndim != 2) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor classifier.weight is missing", c->arch); goto done; }
        nl = cw->shape[0];
        if (c->n_labels && (uint64_t)c->n_labels != nl) { r = mtl__err(err, MTL_ERR_SHAPE, "classifier.weight has %lu rows but id2label has %d labels", (unsigned long)nl, c->n_labels); goto done; }
        if (nl < 1 || nl > CV_MAX_LABELS) { r = mtl__err(err, MTL_ERR_SHAPE, "classifier.weight: bad number of labels"); goto done; }
        CV_ADD("classifier.weight", NULL, "mtl.classifier.weight", nl, H, 0);
        CV_ADD("classifier.bias", NULL, "mtl.classifier.bias", nl, 0, 0);
        mtl__gw_str(&g, "mtl.head", c->head == MTL_HEAD_SEQUENCE ? "sequence_classification" : "token_classification");
        if (c->head == MTL_HEAD_SEQUENCE && nl == 1) mtl__gw_str(&g, "mtl.classifier.score", c->score_identity ? "identity" : "sigmoid");
        mtl__gw_arr(&g, "mtl.labels", MTL__GGUF_STR, nl);
        for (i = 0; i < (int)nl; i++) {
            char lb[32];
            const char *s = c->n_labels ? c->labels[i] : NULL;
            if (!s) { sprintf(lb, "LABEL_%d", i); s = lb; }
            cv_str(&g.kv, s, strlen(s));
        }
    }
#undef CV_ADD
    /* assemble the meta part */
    if ((r = mtl__gw_meta(&g, meta, err)) != MTL_OK) goto done;
    *data = g.data;
    memset(&g.data, 0, sizeof g.data);
done:
    mtl__gw_free(&g);
    if (r) cv_buf_free(meta);
    return r;
}
#ifndef MTL_NO_STDIO
/* ---------------------------------------------------------------------------------------------- */
/* A whole Hugging Face folder -> GGUF bytes (meta + data). weights: NULL = the first present of    */
/* model.safetensors, model.safetensors.index.json's shards, pytorch_model.bin,                   */
/* pytorch_model.bin.index.json's shards; else a file name inside dir (either format).            */
/* ---------------------------------------------------------------------------------------------- */
CV_FN char *cv_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *p = (char *)malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}
/* Reads dir/name: MTL_OK with *d NULL when the file is absent and !required. */
CV_FN mtl_result cv_slurp(const char *dir, const char *name, char **d, size_t *len, int required, mtl_error *err) {
    char *p = cv_join(dir, name);
    FILE *f;
    mtl_result r;
    *d = NULL;
    *len = 0;
    if (!p) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    f = fopen(p, "rb");
    if (!f) {
        const int e = errno;
        r = required ? mtl__err(err, MTL_ERR_IO, "cannot open %s: %s", p, strerror(e)) : MTL_OK;
        free(p);
        return r;
    }
    fclose(f);
    r = mtl__read_file(p, d, len, err);
    free(p);
    return r;
}

typedef struct cv_result {
    cv_buf meta, data;
    int n_tensors;
    cv_extra extra;
    cv_config cfg;
} cv_result;

/* progress: as cv_extra's (NULL: none). */
CV_FN mtl_result cv_convert_dir_ex(const char *dir, const char *weights, int f16, void (*progress)(void *ud, double done, double total),
                                   void *progress_ud, cv_result *res, mtl_error *err) {
    char *bufs[256], *s = NULL, **shards = NULL;
    int n_bufs = 0, n_shards = 0, i;
    size_t len;
    cv_tensors ts;
    mtl_tokenizer *tok = NULL;
    mtl_result r;
    memset(res, 0, sizeof *res);
    memset(&ts, 0, sizeof ts);
    res->extra.out_f16 = f16;
    res->extra.progress = progress;
    res->extra.progress_ud = progress_ud;
    if ((r = cv_slurp(dir, "config.json", &s, &len, 1, err)) != MTL_OK) return r;
    r = cv_parse_config(s, len, &res->cfg, err);
    free(s);
    s = NULL;
    if (r) return r;
    if (weights) {
        if ((r = cv_slurp(dir, weights, &bufs[n_bufs], &len, 1, err)) != MTL_OK) goto done;
        n_bufs++;
        if ((r = cv_parse_weights((const unsigned char *)bufs[0], len, weights, &ts, err)) != MTL_OK) goto done;
    } else {
        /* the first present of: one file, or an index of shards (safetensors first) */
        static const char *const names[4] = {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"};
        int q;
        for (q = 0; q < 4; q++) {
            if ((r = cv_slurp(dir, names[q], &s, &len, 0, err)) != MTL_OK) goto done;
            if (s) break;
        }
        if (q == 4) {
            r = mtl__err(err, MTL_ERR_IO, "%s: no model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json", dir);
            goto done;
        }
        if (q == 0 || q == 2) {
            bufs[n_bufs++] = s;
            s = NULL;
            if ((r = cv_parse_weights((const unsigned char *)bufs[0], len, names[q], &ts, err)) != MTL_OK) goto done;
        } else {
            r = cv_parse_index_ex(s, len, names[q], &shards, &n_shards, err);
            free(s);
            s = NULL;
            if (r) goto done;
            if (n_shards > 256) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "too many shards"); goto done; }
            for (i = 0; i < n_shards; i++) {
                if ((r = cv_slurp(dir, shards[i], &bufs[n_bufs], &len, 1, err)) != MTL_OK) goto done;
                n_bufs++;
                if ((r = cv_parse_weights((const unsigned char *)bufs[n_bufs - 1], len, shards[i], &ts, err)) != MTL_OK) goto done;
            }
        }
    }
    if ((r = mtl_tokenizer_load_dir(dir, NULL, &tok, err)) != MTL_OK) goto done;
    res->extra.pooling = MTL_POOL_DEFAULT;
    if ((r = cv_slurp(dir, "modules.json", &s, &len, 0, err)) != MTL_OK) goto done;
    if (s) {
        char pool_dir[256];
        r = cv_parse_modules(s, len, pool_dir, sizeof pool_dir, &res->extra.normalize, err);
        free(s);
        s = NULL;
        if (r) goto done;
        if (pool_dir[0]) {
            char *pc = cv_join(pool_dir, "config.json");
            if (!pc) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
            r = cv_slurp(dir, pc, &s, &len, 1, err);
            free(pc);
            if (!r) r = cv_parse_pooling(s, len, &res->extra.pooling, err);
            free(s);
            s = NULL;
            if (r) goto done;
        }
    }
    if ((r = cv_slurp(dir, "sentence_bert_config.json", &s, &len, 0, err)) != MTL_OK) goto done;
    if (s) {
        r = cv_parse_sbert(s, len, &res->extra.max_seq_length, err);
        free(s);
        s = NULL;
        if (r) goto done;
    }
    res->n_tensors = ts.n;
    r = cv_build(&res->cfg, &ts, tok, &res->extra, &res->meta, &res->data, err);
done:
    free(s);
    mtl_tokenizer_free(tok);
    cv_tensors_free(&ts);
    for (i = 0; i < n_bufs; i++) free(bufs[i]);
    for (i = 0; i < n_shards; i++) free(shards[i]);
    free(shards);
    if (r) { cv_config_free(&res->cfg); cv_buf_free(&res->meta); cv_buf_free(&res->data); }
    return r;
}
CV_FN mtl_result cv_convert_dir(const char *dir, const char *weights, int f16, cv_result *res, mtl_error *err) {
    return cv_convert_dir_ex(dir, weights, f16, NULL, NULL, res, err);
}
CV_FN void cv_result_free(cv_result *res) {
    cv_config_free(&res->cfg);
    cv_buf_free(&res->meta);
    cv_buf_free(&res->data);
}
/* The result as one contiguous malloc'ed blob. */
CV_FN unsigned char *cv_result_blob(const cv_result *res, size_t *len) {
    unsigned char *b = (unsigned char *)malloc(res->meta.n + res->data.n + 1);
    if (!b) return NULL;
    memcpy(b, res->meta.d, res->meta.n);
    if (res->data.n) memcpy(b + res->meta.n, res->data.d, res->data.n);
    *len = res->meta.n + res->data.n;
    return b;
}
#endif /* MTL_NO_STDIO */
#endif
