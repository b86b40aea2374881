/* libFuzzer target for mtl_bert.h's data and metrics: the CSV/TSV, CoNLL and GMB-CSV loaders (options chosen by
   the first byte), text cleaning, and the metrics on tag ids taken from the bytes. Invariants: a
   failed load leaves a zeroed dataset; every example/word/tag id is in range; scores lie in [0, 1]. */
#define MTL_BERT_IMPLEMENTATION
#include "../../mtl_bert.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok) { if (!ok) abort(); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *labels[] = {"0", "1", "pos"};
    static const char *tags[] = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-", "I"};
    mtl_error err;
    const char *text;
    size_t n;
    uint8_t c0;
    int i;
    if (size < 1) return 0;
    c0 = data[0];
    text = (const char *)data + 1;
    n = size - 1;
    if ((c0 & 3) == 0) {
        mtl_cls_dataset d;
        mtl_cls_load_options o;
        memset(&o, 0, sizeof o);
        o.clean = (c0 >> 2) & 3;
        o.quoting = (c0 & 16) ? 1 : (c0 & 32) ? -1 : 0;
        o.encoding = (mtl_text_encoding)((c0 >> 6) % 3);
        if (c0 & 64) { o.labels = labels; o.n_labels = 3; }
        if (c0 & 128) { o.delimiter = '\t'; o.text_column = "sentence"; o.label_column = "label"; }   /* SST-2 */
        if (mtl_cls_from_memory(text, n, &o, &d, &err) == MTL_OK) {
            check(d.n > 0 && d.n_labels > 0);
            for (i = 0; i < d.n; i++) check(d.labels[i] >= 0 && d.labels[i] < d.n_labels && strlen(d.texts[i]) <= d.text_lens[i]);
            mtl_cls_dataset_free(&d);
        } else check(d.mem_ == NULL && d.n == 0);
    } else if ((c0 & 3) == 1 || (c0 & 3) == 2) {
        mtl_ner_dataset d;
        mtl_ner_load_options o;
        mtl_result rc;
        memset(&o, 0, sizeof o);
        o.iob1 = (c0 >> 2) & 1;
        o.encoding = (mtl_text_encoding)((c0 >> 3) % 3);
        if (c0 & 64) { o.tags = tags; o.n_tags = 5; if (c0 & 128) o.unknown_tag = "O"; }
        rc = (c0 & 3) == 1 ? mtl_ner_conll_from_memory(text, n, &o, &d, &err) : mtl_ner_csv_from_memory(text, n, &o, &d, &err);
        if (rc == MTL_OK) {
            check(d.n > 0 && d.sent_start[0] == 0 && d.sent_start[d.n] == d.n_words);
            for (i = 0; i < d.n; i++) check(d.sent_start[i] < d.sent_start[i + 1]);
            for (i = 0; i < d.n_words; i++) check(d.tags[i] >= 0 && d.tags[i] < d.n_tags);
            mtl_ner_dataset_free(&d);
        } else check(d.mem_ == NULL && d.n == 0);
    } else {
        /* metrics: bytes as (true, pred) tag pairs, sentence breaks on 0xFF */
        int32_t yt[512], yp[512], ss[513], nss = 0, np = 0;
        mtl_ner_metrics m;
        mtl_cls_metrics cm;
        char buf[4096], cb[600];
        size_t len, k;
        ss[0] = 0;
        for (k = 0; k + 1 < n && np < 512; k += 2) {
            if ((uint8_t)text[k] == 0xFF) { ss[++nss] = np; continue; }
            yt[np] = (int32_t)((uint8_t)text[k] % 7);
            yp[np] = (int32_t)((uint8_t)text[k + 1] % 7);
            np++;
        }
        ss[++nss] = np;
        if (mtl_ner_metrics_compute(yt, yp, ss, nss, tags, 7, &m, &err) == MTL_OK) {
            for (i = 0; i < m.n_types; i++) check(m.per_type[i].f1 >= 0 && m.per_type[i].f1 <= 1 && m.tp[i] <= m.n_pred[i]);
            check(m.micro.precision >= 0 && m.micro.precision <= 1);
            mtl_ner_report(&m, 2, buf, sizeof buf, &len, &err);
            mtl_ner_report_json(&m, buf, sizeof buf, &len, &err);
            mtl_ner_metrics_free(&m);
        } else abort();
        if (np > 0 && mtl_cls_metrics_compute(yt, yp, np, 7, &cm, &err) == MTL_OK) {
            check(cm.accuracy >= 0 && cm.accuracy <= 1 && cm.weighted.f1 >= 0 && cm.weighted.f1 <= 1 + 1e-12);
            mtl_cls_report(&cm, NULL, (int)(c0 >> 4), buf, sizeof buf, &len, &err);
            mtl_cls_report_json(&cm, tags, buf, sizeof buf, &len, &err);
            mtl_cls_metrics_free(&cm);
        }
        k = n < sizeof cb - 1 ? n : sizeof cb - 1;
        len = mtl_clean_text(text, k, c0 >> 2, cb);
        check(len <= k && cb[len] == 0);
    }
    return 0;
}
