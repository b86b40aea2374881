/* torchbin.h - pytorch_model.bin (the zip checkpoint torch.save writes since torch 1.6) -> cv_tensors.
   Part of convert.h (included by it after cv_tensor / cv_tensors; no I/O, no dependencies).

   cv_parse_torchbin   one checkpoint (a buffer) -> tensor table (views into the buffer), like
                       cv_parse_safetensors

   The archive: <name>/data.pkl (the pickled state dict), <name>/data/<key> (one file a storage),
   <name>/byteorder, <name>/version, ... A small zip reader (end of central directory record, its
   zip64 form and locator, the central directory with zip64 extra fields, local headers) reads only
   STORED entries (torch writes no compressed ones) and checks their CRC-32; every offset and size is
   checked against the buffer.

   data.pkl is read by an interpreter of data only: the pickle opcodes torch.save uses for a state dict
   (protocol 2, and protocol 4's framing, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE), and only these
   globals: collections.OrderedDict, torch._utils._rebuild_tensor_v2 / _rebuild_parameter and the
   torch.*Storage types. Nothing is called or imported: REDUCE of those globals builds a dict or a
   tensor record. Any other opcode or global is refused by name; the stack, marks, memo and objects are
   bounded. The top-level object must be a dict of name -> tensor. Tensors: row-major contiguous
   (other strides refused), inside their storage; Float/Half/BFloat16 storages convert, the others
   (Long, Int, Double, ...) are kept in the table as CV_OTHER like safetensors' I64 buffers. */
#ifndef MTL_TORCHBIN_H
#define MTL_TORCHBIN_H

#ifndef MTL_CONVERT_H
#error "torchbin.h is part of weights_convert/convert.h: include convert.h"
#endif

/* ---------------------------------------------------------------------------------------------- */
/* little helpers                                                                                 */
/* ---------------------------------------------------------------------------------------------- */
CV_FN uint32_t cv__le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
CV_FN uint32_t cv__le32(const unsigned char *p) { return cv__le16(p) | cv__le16(p + 2) << 16; }
CV_FN uint64_t cv__le64(const unsigned char *p) { return (uint64_t)cv__le32(p) | (uint64_t)cv__le32(p + 4) << 32; }

/* A printable copy of n bytes of s (at most cap - 1 characters; others as '?'), for messages. */
CV_FN const char *cv__shown(char *dst, size_t cap, const unsigned char *s, size_t n) {
    size_t k, m = n < cap - 1 ? n : cap - 1;
    for (k = 0; k < m; k++) dst[k] = (char)(s[k] >= 32 && s[k] < 127 ? s[k] : '?');
    dst[m] = 0;
    if (m < n && m >= 3) dst[m - 1] = dst[m - 2] = dst[m - 3] = '.';
    return dst;
}

/* CRC-32 (zip's), slicing by 8; the tables anew each call (2048 steps + 1792 lookups, no shared state). */
CV_FN uint32_t cv__crc32(const unsigned char *p, size_t n) {
    uint32_t t[8][256], c = 0xFFFFFFFFu, i, j, v;
    for (i = 0; i < 256; i++) {
        for (v = i, j = 0; j < 8; j++) v = (v & 1) ? 0xEDB88320u ^ (v >> 1) : v >> 1;
        t[0][i] = v;
    }
    for (i = 0; i < 256; i++)
        for (j = 1; j < 8; j++) t[j][i] = (t[j - 1][i] >> 8) ^ t[0][t[j - 1][i] & 0xFFu];
    for (; n >= 8; n -= 8, p += 8) {
        const uint32_t lo = c ^ cv__le32(p), hi = cv__le32(p + 4);
        c = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24] ^
            t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^ t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
    }
    for (; n; n--, p++) c = t[0][(c ^ *p) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* Grows *p (an array of *cap items of size el) to hold need items; 0 when that fails or need > max. */
CV_FN int cv__grow(void **p, int *cap, int need, size_t el, int max) {
    void *q;
    int nc;
    if (need <= *cap) return 1;
    if (need > max) return 0;
    nc = *cap ? *cap : 16;
    while (nc < need) nc = nc > max / 2 ? max : nc * 2;
    q = realloc(*p, (size_t)nc * el);
    if (!q) return 0;
    *p = q;
    *cap = nc;
    return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* zip (stored entries only)                                                                      */
/* ---------------------------------------------------------------------------------------------- */
typedef struct cv_zip_entry {
    const unsigned char *name;
    size_t name_len;
    uint64_t local;         /* offset of the local header */
    uint64_t size, csize;   /* uncompressed, compressed */
    uint32_t crc;
    unsigned method, flags;
    int crc_ok;             /* checked once (a storage shared by tied tensors is read again) */
} cv_zip_entry;
typedef struct cv_zip {
    const unsigned char *buf;
    size_t len;
    cv_zip_entry *e;        /* central directory order */
    cv_zip_entry **sorted;  /* e by name */
    int n;
    int check_crc;
} cv_zip;

#define CV_ZIP_MAX_ENTRIES (1 << 20)

CV_FN void cv_zip_free(cv_zip *z) {
    free(z->e);
    free(z->sorted);
    memset(z, 0, sizeof *z);
}

CV_FN int cv__zip_cmp_names(const cv_zip_entry *a, const unsigned char *name, size_t n) {
    size_t m = a->name_len < n ? a->name_len : n;
    int c = m ? memcmp(a->name, name, m) : 0;
    return c ? c : a->name_len < n ? -1 : a->name_len > n ? 1 : 0;
}
CV_FN int cv__zip_cmp(const void *x, const void *y) {
    const cv_zip_entry *a = *(const cv_zip_entry *const *)x, *b = *(const cv_zip_entry *const *)y;
    int c = cv__zip_cmp_names(a, b->name, b->name_len);
    return c ? c : a < b ? -1 : a > b ? 1 : 0;
}

/* Reads the central directory of buf. what names the file in messages. */
CV_FN mtl_result cv_zip_open(cv_zip *z, const unsigned char *buf, size_t len, const char *what, mtl_error *err) {
    size_t eocd, p, cd_end, lim;
    uint64_t n64, cd_size, cd_off;
    int i, found = 0;
    char shown[96];
    memset(z, 0, sizeof *z);
    z->buf = buf;
    z->len = len;
    z->check_crc = 1;
    if (len < 22) return mtl__err(err, MTL_ERR_FORMAT, "%s: too short for a zip archive", what);
    /* the end of central directory record: the last one whose comment ends the file */
    lim = len - 22 > 65535 ? len - 22 - 65535 : 0;
    for (eocd = len - 22;; eocd--) {
        if (cv__le32(buf + eocd) == 0x06054b50u && eocd + 22 + cv__le16(buf + eocd + 20) == len) { found = 1; break; }
        if (eocd == lim) break;
    }
    if (!found) return mtl__err(err, MTL_ERR_FORMAT, "%s: no zip end of central directory record (truncated?)", what);
    n64 = cv__le16(buf + eocd + 10);
    cd_size = cv__le32(buf + eocd + 12);
    cd_off = cv__le32(buf + eocd + 16);
    cd_end = eocd;
    if (eocd >= 20 && cv__le32(buf + eocd - 20) == 0x07064b50u) {   /* zip64 locator, then the zip64 record */
        uint64_t z64 = cv__le64(buf + eocd - 20 + 8);
        if (cv__le32(buf + eocd - 20 + 4) != 0 || cv__le32(buf + eocd - 20 + 16) > 1)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: multi-disk zip archives are not supported", what);
        if (eocd - 20 < 56 || z64 > eocd - 20 - 56 || cv__le32(buf + (size_t)z64) != 0x06064b50u)
            return mtl__err(err, MTL_ERR_FORMAT, "%s: bad zip64 end of central directory locator", what);
        if (cv__le32(buf + (size_t)z64 + 16) != 0 || cv__le32(buf + (size_t)z64 + 20) != 0)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: multi-disk zip archives are not supported", what);
        n64 = cv__le64(buf + (size_t)z64 + 32);
        cd_size = cv__le64(buf + (size_t)z64 + 40);
        cd_off = cv__le64(buf + (size_t)z64 + 48);
        cd_end = (size_t)z64;
    } else {
        if (cv__le16(buf + eocd + 4) != 0 || cv__le16(buf + eocd + 6) != 0)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: multi-disk zip archives are not supported", what);
        if (n64 == 0xFFFFu || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu)
            return mtl__err(err, MTL_ERR_FORMAT, "%s: zip64 values without a zip64 locator", what);
    }
    if (cd_off > cd_end || cd_size > cd_end - cd_off)
        return mtl__err(err, MTL_ERR_FORMAT, "%s: the zip central directory is out of range", what);
    if (n64 > cd_size / 46 || n64 > CV_ZIP_MAX_ENTRIES)
        return mtl__err(err, MTL_ERR_FORMAT, "%s: bad number of zip entries", what);
    z->n = (int)n64;
    z->e = (cv_zip_entry *)calloc(n64 ? (size_t)n64 : 1, sizeof *z->e);
    z->sorted = (cv_zip_entry **)malloc((n64 ? (size_t)n64 : 1) * sizeof *z->sorted);
    if (!z->e || !z->sorted) { cv_zip_free(z); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    p = (size_t)cd_off;
    cd_end = (size_t)(cd_off + cd_size);
    for (i = 0; i < z->n; i++) {
        cv_zip_entry *e = &z->e[i];
        size_t nl, xl, cl, x, xe;
        if (cd_end - p < 46 || cv__le32(buf + p) != 0x02014b50u) { cv_zip_free(z); return mtl__err(err, MTL_ERR_FORMAT, "%s: bad zip central directory entry %d", what, i); }
        nl = cv__le16(buf + p + 28);
        xl = cv__le16(buf + p + 30);
        cl = cv__le16(buf + p + 32);
        if (cd_end - p - 46 < nl + xl + cl || nl == 0) { cv_zip_free(z); return mtl__err(err, MTL_ERR_FORMAT, "%s: bad zip central directory entry %d", what, i); }
        e->flags = (unsigned)cv__le16(buf + p + 8);
        e->method = (unsigned)cv__le16(buf + p + 10);
        e->crc = cv__le32(buf + p + 16);
        e->csize = cv__le32(buf + p + 20);
        e->size = cv__le32(buf + p + 24);
        e->local = cv__le32(buf + p + 42);
        e->name = buf + p + 46;
        e->name_len = nl;
        /* zip64 extra field: the 8-byte values of those fields that are 0xFFFFFFFF, in this order */
        for (x = p + 46 + nl, xe = x + xl; xe - x >= 4; x += 4 + cv__le16(buf + x + 2)) {
            size_t sz = cv__le16(buf + x + 2), q = x + 4;
            if (sz > xe - x - 4) break;
            if (cv__le16(buf + x) != 1) continue;
            if (e->size == 0xFFFFFFFFu) { if (q + 8 > x + 4 + sz) break; e->size = cv__le64(buf + q); q += 8; }
            if (e->csize == 0xFFFFFFFFu) { if (q + 8 > x + 4 + sz) break; e->csize = cv__le64(buf + q); q += 8; }
            if (e->local == 0xFFFFFFFFu) { if (q + 8 > x + 4 + sz) break; e->local = cv__le64(buf + q); }
            break;
        }
        if (e->size == 0xFFFFFFFFu || e->csize == 0xFFFFFFFFu || e->local == 0xFFFFFFFFu) {
            mtl_result r = mtl__err(err, MTL_ERR_FORMAT, "%s: zip entry %s: missing zip64 sizes", what, cv__shown(shown, sizeof shown, e->name, nl));
            cv_zip_free(z);
            return r;
        }
        p += 46 + nl + xl + cl;
        z->sorted[i] = e;
    }
    if (z->n > 1) qsort(z->sorted, (size_t)z->n, sizeof *z->sorted, cv__zip_cmp);
    for (i = 1; i < z->n; i++) {
        const cv_zip_entry *a = z->sorted[i - 1], *b = z->sorted[i];
        if (!cv__zip_cmp_names(a, b->name, b->name_len)) {
            mtl_result r = mtl__err(err, MTL_ERR_FORMAT, "%s: zip entry %s appears twice", what, cv__shown(shown, sizeof shown, a->name, a->name_len));
            cv_zip_free(z);
            return r;
        }
    }
    return MTL_OK;
}

/* The entry called name (n bytes), or -1. */
CV_FN int cv_zip_find(const cv_zip *z, const char *name, size_t n) {
    int lo = 0, hi = z->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2, c = cv__zip_cmp_names(z->sorted[mid], (const unsigned char *)name, n);
        if (!c) return (int)(z->sorted[mid] - z->e);
        if (c < 0) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

/* The bytes of entry i (stored, its local header matching, in bounds, CRC checked). */
CV_FN mtl_result cv_zip_data(cv_zip *z, int i, const unsigned char **data, size_t *size, const char *what, mtl_error *err) {
    cv_zip_entry *e = &z->e[i];
    char shown[96];
    size_t off, nl, xl;
    cv__shown(shown, sizeof shown, e->name, e->name_len);
    if (e->method != 0)
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: zip entry %s is compressed (method %u%s); only stored entries are read", what, shown,
                        e->method, e->method == 8 ? ", deflate" : "");
    if (e->flags & 1u) return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: zip entry %s is encrypted", what, shown);
    if (e->local > z->len || z->len - (size_t)e->local < 30 || cv__le32(z->buf + (size_t)e->local) != 0x04034b50u)
        return mtl__err(err, MTL_ERR_FORMAT, "%s: zip entry %s: bad local header", what, shown);
    off = (size_t)e->local;
    nl = cv__le16(z->buf + off + 26);
    xl = cv__le16(z->buf + off + 28);
    if (z->len - off - 30 < nl + xl || nl != e->name_len || memcmp(z->buf + off + 30, e->name, nl) != 0)
        return mtl__err(err, MTL_ERR_FORMAT, "%s: zip entry %s: bad local header", what, shown);
    off += 30 + nl + xl;
    if (e->csize != e->size || e->size > z->len - off)
        return mtl__err(err, MTL_ERR_FORMAT, "%s: zip entry %s is out of range (truncated?)", what, shown);
    *data = z->buf + off;
    *size = (size_t)e->size;
    if (z->check_crc && !e->crc_ok && cv__crc32(*data, *size) != e->crc) return mtl__err(err, MTL_ERR_FORMAT, "%s: zip entry %s: CRC-32 mismatch", what, shown);
    e->crc_ok = 1;
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* pickle: an interpreter of data only                                                            */
/* ---------------------------------------------------------------------------------------------- */
enum { CV_PV_NONE, CV_PV_BOOL, CV_PV_INT, CV_PV_STR, CV_PV_TUPLE, CV_PV_LIST, CV_PV_DICT, CV_PV_GLOBAL, CV_PV_STORAGE, CV_PV_TENSOR };
enum { CV_PG_ODICT, CV_PG_REBUILD, CV_PG_PARAM, CV_PG_STORAGE };
typedef struct cv_pv {
    int kind;
    int aux;                     /* GLOBAL: CV_PG_*; STORAGE: the dtype (CV_F32.. / CV_OTHER + size) */
    int64_t i;                   /* BOOL, INT; STORAGE: numel; TENSOR: index of its record */
    const unsigned char *s;      /* STR, STORAGE (its key): into the pickle */
    size_t n;
    int head, tail, count;       /* TUPLE, LIST, DICT: cells; GLOBAL of a storage type: the dtype in count */
    const unsigned char *data;   /* STORAGE: resolved bytes (NULL until then) */
} cv_pv;
typedef struct cv_pcell { int k, v, next; } cv_pcell;
typedef struct cv_ptensor {
    int storage, ndim, contiguous;
    uint64_t offset, numel;
    uint64_t size[4];
    int64_t stride[4];
} cv_ptensor;

#define CV_PK_MAX (1 << 21)   /* objects, cells, stack items, marks, memo entries */

typedef struct cv_pk {
    const unsigned char *p;
    size_t len, pos;
    cv_pv *v; int nv, capv;
    cv_pcell *c; int nc, capc;
    cv_ptensor *t; int nt, capt;
    int *st; int sp, caps;
    int *mk; int nm, capm;
    int *memo; int nmemo, capmemo;
    const char *what;
    mtl_error *err;
} cv_pk;

CV_FN void cv__pk_free(cv_pk *k) {
    free(k->v); free(k->c); free(k->t); free(k->st); free(k->mk); free(k->memo);
}

CV_FN mtl_result cv__pk_bad(cv_pk *k, const char *msg) {
    return mtl__err(k->err, MTL_ERR_FORMAT, "%s: pickle: %s (at byte %lu)", k->what, msg, (unsigned long)k->pos);
}
CV_FN mtl_result cv__pk_nomem(cv_pk *k) {
    return mtl__err(k->err, MTL_ERR_NOMEM, "%s: pickle: too many objects or out of memory", k->what);
}

/* A new object of kind (its index), or -1 (error set). */
CV_FN int cv__pk_new(cv_pk *k, int kind) {
    cv_pv *v;
    if (!cv__grow((void **)&k->v, &k->capv, k->nv + 1, sizeof *k->v, CV_PK_MAX)) { cv__pk_nomem(k); return -1; }
    v = &k->v[k->nv];
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->head = v->tail = -1;
    return k->nv++;
}
CV_FN int cv__pk_push(cv_pk *k, int v) {
    if (v < 0) return 0;
    if (!cv__grow((void **)&k->st, &k->caps, k->sp + 1, sizeof(int), CV_PK_MAX)) { cv__pk_nomem(k); return 0; }
    k->st[k->sp++] = v;
    return 1;
}
/* The number of items above the top mark (all items without one). */
CV_FN int cv__pk_above(const cv_pk *k) { return k->sp - (k->nm ? k->mk[k->nm - 1] : 0); }
/* Appends (key, val) to container c. */
CV_FN int cv__pk_add(cv_pk *k, int c, int key, int val) {
    cv_pv *v = &k->v[c];
    if (!cv__grow((void **)&k->c, &k->capc, k->nc + 1, sizeof *k->c, CV_PK_MAX)) { cv__pk_nomem(k); return 0; }
    k->c[k->nc].k = key;
    k->c[k->nc].v = val;
    k->c[k->nc].next = -1;
    if (v->tail >= 0) k->c[v->tail].next = k->nc; else v->head = k->nc;
    v->tail = k->nc++;
    v->count++;
    return 1;
}
/* A tuple of the top n stack items (popped). */
CV_FN int cv__pk_tuple(cv_pk *k, int n) {
    int t = cv__pk_new(k, CV_PV_TUPLE), q;
    if (t < 0) return 0;
    for (q = k->sp - n; q < k->sp; q++) if (!cv__pk_add(k, t, -1, k->st[q])) return 0;
    k->sp -= n;
    return cv__pk_push(k, t);
}
/* Item q (0-based) of tuple t, or -1. */
CV_FN int cv__pk_item(const cv_pk *k, int t, int q) {
    int c;
    if (k->v[t].kind != CV_PV_TUPLE || q >= k->v[t].count) return -1;
    for (c = k->v[t].head; q-- > 0; c = k->c[c].next) {}
    return k->c[c].v;
}
CV_FN int cv__pk_is(const cv_pk *k, int v, int kind) { return v >= 0 && k->v[v].kind == kind; }
CV_FN int cv__pk_streq(const cv_pk *k, int v, const char *s) {
    return cv__pk_is(k, v, CV_PV_STR) && k->v[v].n == strlen(s) && !memcmp(k->v[v].s, s, k->v[v].n);
}

/* GLOBAL module.name -> an object, or refused. */
CV_FN int cv__pk_global(cv_pk *k, const unsigned char *mod, size_t ml, const unsigned char *name, size_t nl) {
    /* the storage types: torch.<name>Storage -> dtype */
    static const char *const storage_names[10] = {"FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage",
                                                  "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"};
    static const int storage_dtypes[10] = {CV_F32, CV_F16, CV_BF16, CV_OTHER + 8, CV_OTHER + 8, CV_OTHER + 4, CV_OTHER + 2, CV_OTHER + 1, CV_OTHER + 1, CV_OTHER + 1};
    int g = -1, dt = 0, q, v;
    char a[72], b[72];
#define CV_IS(s, l, lit) ((l) == sizeof(lit) - 1 && !memcmp(s, lit, l))
    if (CV_IS(mod, ml, "collections") && CV_IS(name, nl, "OrderedDict")) g = CV_PG_ODICT;
    else if (CV_IS(mod, ml, "torch._utils") && CV_IS(name, nl, "_rebuild_tensor_v2")) g = CV_PG_REBUILD;
    else if (CV_IS(mod, ml, "torch._utils") && CV_IS(name, nl, "_rebuild_parameter")) g = CV_PG_PARAM;
    else if (CV_IS(mod, ml, "torch")) {
        for (q = 0; q < 10; q++) if (nl == strlen(storage_names[q]) && !memcmp(name, storage_names[q], nl)) { g = CV_PG_STORAGE; dt = storage_dtypes[q]; }
    }
#undef CV_IS
    if (g < 0) {
        mtl__err(k->err, MTL_ERR_UNSUPPORTED, "%s: pickle: GLOBAL %s.%s is not allowed (only a state dict of tensors is read)", k->what,
                 cv__shown(a, sizeof a, mod, ml), cv__shown(b, sizeof b, name, nl));
        return 0;
    }
    if ((v = cv__pk_new(k, CV_PV_GLOBAL)) < 0) return 0;
    k->v[v].aux = g;
    k->v[v].count = dt;
    return cv__pk_push(k, v);
}

/* Names of the opcodes that are refused, for the message. */
CV_FN const char *cv__pk_opname(int op) {
    static const struct { int op; const char *name; } names[] = {
        {'i', "INST"}, {'o', "OBJ"}, {0x81, "NEWOBJ"}, {0x92, "NEWOBJ_EX"}, {0x82, "EXT1"}, {0x83, "EXT2"}, {0x84, "EXT4"},
        {'P', "PERSID"}, {'g', "GET"}, {'p', "PUT"}, {'I', "INT"}, {'L', "LONG"}, {0x8b, "LONG4"}, {'S', "STRING"},
        {'T', "BINSTRING"}, {'U', "SHORT_BINSTRING"}, {'V', "UNICODE"}, {0x8d, "BINUNICODE8"}, {'F', "FLOAT"}, {'G', "BINFLOAT"},
        {'B', "BINBYTES"}, {'C', "SHORT_BINBYTES"}, {0x8e, "BINBYTES8"}, {0x96, "BYTEARRAY8"}, {0x97, "NEXT_BUFFER"},
        {0x98, "READONLY_BUFFER"}, {'d', "DICT"}, {'l', "LIST"}, {'0', "POP"}, {'2', "DUP"}, {'1', "POP_MARK"},
        {0x90, "ADDITEMS"}, {0x8f, "EMPTY_SET"}, {0x91, "FROZENSET"}};
    size_t q;
    for (q = 0; q < sizeof names / sizeof names[0]; q++) if (names[q].op == op) return names[q].name;
    return "unknown";
}

/* REDUCE: callable f (a GLOBAL), args tuple a. */
CV_FN int cv__pk_reduce(cv_pk *k, int f, int a) {
    int n, g, v, q;
    if (!cv__pk_is(k, f, CV_PV_GLOBAL) || !cv__pk_is(k, a, CV_PV_TUPLE)) { cv__pk_bad(k, "REDUCE of something other than an allowed global with a tuple"); return 0; }
    g = k->v[f].aux;
    n = k->v[a].count;
    if (g == CV_PG_ODICT) {
        if (n != 0) { cv__pk_bad(k, "OrderedDict with arguments"); return 0; }
        return cv__pk_push(k, cv__pk_new(k, CV_PV_DICT));
    }
    if (g == CV_PG_PARAM) {   /* _rebuild_parameter(tensor, requires_grad, backward_hooks) */
        v = cv__pk_item(k, a, 0);
        if (n < 1 || !cv__pk_is(k, v, CV_PV_TENSOR)) { cv__pk_bad(k, "_rebuild_parameter without a tensor"); return 0; }
        return cv__pk_push(k, v);
    }
    if (g == CV_PG_REBUILD) {   /* _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]) */
        int s = cv__pk_item(k, a, 0), o = cv__pk_item(k, a, 1), sz = cv__pk_item(k, a, 2), sd = cv__pk_item(k, a, 3), c1, c2;
        cv_ptensor t;
        int64_t expect = 1;
        if (n < 4 || n > 7 || !cv__pk_is(k, s, CV_PV_STORAGE) || !cv__pk_is(k, o, CV_PV_INT) || !cv__pk_is(k, sz, CV_PV_TUPLE) ||
            !cv__pk_is(k, sd, CV_PV_TUPLE) || k->v[sz].count != k->v[sd].count) {
            cv__pk_bad(k, "bad _rebuild_tensor_v2 arguments");
            return 0;
        }
        memset(&t, 0, sizeof t);
        t.storage = s;
        if (k->v[o].i < 0 || k->v[o].i > ((int64_t)1 << 50)) { cv__pk_bad(k, "bad storage offset"); return 0; }
        t.offset = (uint64_t)k->v[o].i;
        t.ndim = k->v[sz].count;
        if (t.ndim > 4) {
            mtl__err(k->err, MTL_ERR_UNSUPPORTED, "%s: pickle: a tensor of %d dimensions (at most 4 are supported)", k->what, t.ndim);
            return 0;
        }
        t.numel = 1;
        for (q = 0, c1 = k->v[sz].head, c2 = k->v[sd].head; q < t.ndim; q++, c1 = k->c[c1].next, c2 = k->c[c2].next) {
            const cv_pv *d = &k->v[k->c[c1].v], *e = &k->v[k->c[c2].v];
            if (d->kind != CV_PV_INT || e->kind != CV_PV_INT || d->i < 0 || d->i > ((int64_t)1 << 40) ||
                (d->i && t.numel > ((uint64_t)1 << 40) / (uint64_t)d->i) || e->i < -((int64_t)1 << 50) || e->i > ((int64_t)1 << 50)) {
                cv__pk_bad(k, "bad tensor size or stride");
                return 0;
            }
            t.size[q] = (uint64_t)d->i;
            t.stride[q] = e->i;
            t.numel *= (uint64_t)d->i;
        }
        t.contiguous = 1;
        for (q = t.numel ? t.ndim - 1 : -1; q >= 0; q--) {   /* (sizes >= 1: expect <= numel) */
            if (t.size[q] != 1 && t.stride[q] != expect) t.contiguous = 0;
            expect *= (int64_t)t.size[q];
        }
        if (!cv__grow((void **)&k->t, &k->capt, k->nt + 1, sizeof *k->t, CV_PK_MAX)) { cv__pk_nomem(k); return 0; }
        if ((v = cv__pk_new(k, CV_PV_TENSOR)) < 0) return 0;
        k->t[k->nt] = t;
        k->v[v].i = k->nt++;
        return cv__pk_push(k, v);
    }
    cv__pk_bad(k, "REDUCE of a storage type");
    return 0;
}

/* Runs the pickle p[0..len) -> *top (the object STOP returns). */
CV_FN mtl_result cv__pk_run(cv_pk *k, int *top) {
    char hex[8];
#define CV_NEED(m) do { if (k->len - k->pos < (size_t)(m)) return cv__pk_bad(k, "truncated"); } while (0)
#define CV_POPS(m) do { if (cv__pk_above(k) < (m)) return cv__pk_bad(k, "stack underflow"); } while (0)
#define CV_TRY(x) do { if (!(x)) return k->err ? k->err->code : MTL_ERR_FORMAT; } while (0)
    while (k->pos < k->len) {
        const size_t at = k->pos;
        const int op = k->p[k->pos++];
        int v, w, x, q;
        size_t n;
        switch (op) {
        case 0x80:   /* PROTO */
            CV_NEED(1);
            if (k->p[k->pos] < 2 || k->p[k->pos] > 5) return mtl__err(k->err, MTL_ERR_UNSUPPORTED, "%s: pickle protocol %d is not supported", k->what, (int)k->p[k->pos]);
            k->pos++;
            break;
        case 0x95:   /* FRAME: the frame length only groups opcodes */
            CV_NEED(8);
            k->pos += 8;
            break;
        case '}': CV_TRY(cv__pk_push(k, cv__pk_new(k, CV_PV_DICT))); break;
        case ']': CV_TRY(cv__pk_push(k, cv__pk_new(k, CV_PV_LIST))); break;
        case ')': CV_TRY(cv__pk_tuple(k, 0)); break;
        case 'N': CV_TRY(cv__pk_push(k, cv__pk_new(k, CV_PV_NONE))); break;
        case 0x88: case 0x89:   /* NEWTRUE, NEWFALSE */
            CV_TRY((v = cv__pk_new(k, CV_PV_BOOL)) >= 0);
            k->v[v].i = op == 0x88;
            CV_TRY(cv__pk_push(k, v));
            break;
        case '(':   /* MARK */
            CV_TRY(cv__grow((void **)&k->mk, &k->capm, k->nm + 1, sizeof(int), CV_PK_MAX) || !cv__pk_nomem(k));
            k->mk[k->nm++] = k->sp;
            break;
        case 't':   /* TUPLE */
            if (!k->nm) return cv__pk_bad(k, "TUPLE without MARK");
            q = cv__pk_above(k);
            k->nm--;
            CV_TRY(cv__pk_tuple(k, q));
            break;
        case 0x85: case 0x86: case 0x87:   /* TUPLE1..3 */
            CV_POPS(op - 0x84);
            CV_TRY(cv__pk_tuple(k, op - 0x84));
            break;
        case 'X': case 0x8c:   /* BINUNICODE, SHORT_BINUNICODE */
            CV_NEED(op == 'X' ? 4 : 1);
            n = op == 'X' ? (size_t)cv__le32(k->p + k->pos) : (size_t)k->p[k->pos];
            k->pos += op == 'X' ? 4 : 1;
            CV_NEED(n);
            CV_TRY((v = cv__pk_new(k, CV_PV_STR)) >= 0);
            k->v[v].s = k->p + k->pos;
            k->v[v].n = n;
            k->pos += n;
            CV_TRY(cv__pk_push(k, v));
            break;
        case 'J': case 'K': case 'M': case 0x8a: {   /* BININT, BININT1, BININT2, LONG1 */
            int64_t iv = 0;
            if (op == 'J') { CV_NEED(4); iv = (int32_t)cv__le32(k->p + k->pos); k->pos += 4; }
            else if (op == 'K') { CV_NEED(1); iv = k->p[k->pos++]; }
            else if (op == 'M') { CV_NEED(2); iv = (int64_t)cv__le16(k->p + k->pos); k->pos += 2; }
            else {
                uint64_t u = 0;
                CV_NEED(1);
                n = k->p[k->pos++];
                if (n > 8) return mtl__err(k->err, MTL_ERR_UNSUPPORTED, "%s: pickle: an integer of %d bytes", k->what, (int)n);
                CV_NEED(n);
                for (q = (int)n - 1; q >= 0; q--) u = u << 8 | k->p[k->pos + (size_t)q];
                if (n && n < 8 && (k->p[k->pos + n - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * n);   /* sign */
                iv = u >> 63 ? -(int64_t)(~u) - 1 : (int64_t)u;
                k->pos += n;
            }
            CV_TRY((v = cv__pk_new(k, CV_PV_INT)) >= 0);
            k->v[v].i = iv;
            CV_TRY(cv__pk_push(k, v));
            break;
        }
        case 'c': {   /* GLOBAL "module\nname\n" */
            const unsigned char *m = k->p + k->pos, *e1, *e2;
            size_t rest = k->len - k->pos;
            e1 = (const unsigned char *)memchr(m, '\n', rest);
            e2 = e1 ? (const unsigned char *)memchr(e1 + 1, '\n', rest - (size_t)(e1 + 1 - m)) : NULL;
            if (!e2) return cv__pk_bad(k, "truncated GLOBAL");
            k->pos += (size_t)(e2 + 1 - m);
            CV_TRY(cv__pk_global(k, m, (size_t)(e1 - m), e1 + 1, (size_t)(e2 - e1 - 1)));
            break;
        }
        case 0x93:   /* STACK_GLOBAL */
            CV_POPS(2);
            v = k->st[k->sp - 2];
            w = k->st[k->sp - 1];
            if (!cv__pk_is(k, v, CV_PV_STR) || !cv__pk_is(k, w, CV_PV_STR)) return cv__pk_bad(k, "STACK_GLOBAL of non-strings");
            k->sp -= 2;
            CV_TRY(cv__pk_global(k, k->v[v].s, k->v[v].n, k->v[w].s, k->v[w].n));
            break;
        case 'Q': {   /* BINPERSID: ('storage', storage type, key, location, numel) */
            int ty, key, ne;
            CV_POPS(1);
            v = k->st[--k->sp];
            ty = cv__pk_item(k, v, 1);
            key = cv__pk_item(k, v, 2);
            ne = cv__pk_item(k, v, 4);
            if (!cv__pk_is(k, v, CV_PV_TUPLE) || k->v[v].count != 5 || !cv__pk_streq(k, cv__pk_item(k, v, 0), "storage") ||
                !cv__pk_is(k, ty, CV_PV_GLOBAL) || k->v[ty].aux != CV_PG_STORAGE || !cv__pk_is(k, key, CV_PV_STR) ||
                !cv__pk_is(k, ne, CV_PV_INT) || k->v[ne].i < 0 || k->v[ne].i > ((int64_t)1 << 50))
                return cv__pk_bad(k, "a persistent id that is not ('storage', type, key, location, numel)");
            CV_TRY((w = cv__pk_new(k, CV_PV_STORAGE)) >= 0);
            k->v[w].aux = k->v[ty].count;
            k->v[w].s = k->v[key].s;
            k->v[w].n = k->v[key].n;
            k->v[w].i = k->v[ne].i;
            CV_TRY(cv__pk_push(k, w));
            break;
        }
        case 'R':   /* REDUCE */
            CV_POPS(2);
            v = k->st[k->sp - 2];
            w = k->st[k->sp - 1];
            k->sp -= 2;
            CV_TRY(cv__pk_reduce(k, v, w));
            break;
        case 'b':   /* BUILD: only the state of an OrderedDict (its _metadata), which is dropped */
            CV_POPS(2);
            if (!cv__pk_is(k, k->st[k->sp - 2], CV_PV_DICT)) return cv__pk_bad(k, "BUILD of something other than a dict");
            k->sp--;
            break;
        case 's':   /* SETITEM */
            CV_POPS(3);
            v = k->st[k->sp - 3];
            if (!cv__pk_is(k, v, CV_PV_DICT)) return cv__pk_bad(k, "SETITEM on something other than a dict");
            CV_TRY(cv__pk_add(k, v, k->st[k->sp - 2], k->st[k->sp - 1]));
            k->sp -= 2;
            break;
        case 'u': case 'e':   /* SETITEMS, APPENDS */
            if (!k->nm) return cv__pk_bad(k, "SETITEMS or APPENDS without MARK");
            x = k->mk[--k->nm];
            if (x < 1 || !cv__pk_is(k, k->st[x - 1], op == 'u' ? CV_PV_DICT : CV_PV_LIST) || (op == 'u' && (k->sp - x) % 2))
                return cv__pk_bad(k, op == 'u' ? "bad SETITEMS" : "bad APPENDS");
            for (q = x; q < k->sp; q += op == 'u' ? 2 : 1) CV_TRY(cv__pk_add(k, k->st[x - 1], op == 'u' ? k->st[q] : -1, k->st[q + (op == 'u')]));
            k->sp = x;
            break;
        case 'a':   /* APPEND */
            CV_POPS(2);
            if (!cv__pk_is(k, k->st[k->sp - 2], CV_PV_LIST)) return cv__pk_bad(k, "APPEND to something other than a list");
            CV_TRY(cv__pk_add(k, k->st[k->sp - 2], -1, k->st[k->sp - 1]));
            k->sp--;
            break;
        case 'q': case 'r': case 0x94: {   /* BINPUT, LONG_BINPUT, MEMOIZE */
            uint32_t idx;
            if (op == 'q') { CV_NEED(1); idx = k->p[k->pos++]; }
            else if (op == 'r') { CV_NEED(4); idx = cv__le32(k->p + k->pos); k->pos += 4; }
            else idx = (uint32_t)k->nmemo;
            if (k->sp < 1) return cv__pk_bad(k, "memo of an empty stack");
            if (idx >= CV_PK_MAX) return cv__pk_bad(k, "memo index too large");
            if ((int)idx >= k->nmemo) {
                CV_TRY(cv__grow((void **)&k->memo, &k->capmemo, (int)idx + 1, sizeof(int), CV_PK_MAX) || !cv__pk_nomem(k));
                while (k->nmemo <= (int)idx) k->memo[k->nmemo++] = -1;
            }
            k->memo[idx] = k->st[k->sp - 1];
            break;
        }
        case 'h': case 'j': {   /* BINGET, LONG_BINGET */
            uint32_t idx;
            if (op == 'h') { CV_NEED(1); idx = k->p[k->pos++]; }
            else { CV_NEED(4); idx = cv__le32(k->p + k->pos); k->pos += 4; }
            if (idx >= (uint32_t)k->nmemo || k->memo[idx] < 0) {
                return mtl__err(k->err, MTL_ERR_FORMAT, "%s: pickle: memo index %lu out of range (at byte %lu)", k->what, (unsigned long)idx, (unsigned long)at);
            }
            CV_TRY(cv__pk_push(k, k->memo[idx]));
            break;
        }
        case '.':   /* STOP */
            if (k->sp != 1 || k->nm) return cv__pk_bad(k, "STOP with a stack of other than one object");
            *top = k->st[0];
            return MTL_OK;
        default:
            hex[0] = '0'; hex[1] = 'x';
            hex[2] = "0123456789abcdef"[op >> 4]; hex[3] = "0123456789abcdef"[op & 15];
            hex[4] = 0;
            return mtl__err(k->err, MTL_ERR_UNSUPPORTED, "%s: pickle: opcode %s (%s) is not allowed (at byte %lu)", k->what, hex,
                            cv__pk_opname(op), (unsigned long)at);
        }
    }
#undef CV_NEED
#undef CV_POPS
#undef CV_TRY
    return cv__pk_bad(k, "no STOP (truncated)");
}

/* ---------------------------------------------------------------------------------------------- */
/* the checkpoint                                                                                 */
/* ---------------------------------------------------------------------------------------------- */
/* Appends t (its name is taken over, freed on failure) to ts. */
CV_FN mtl_result cv__tensors_push(cv_tensors *ts, cv_tensor *t, mtl_error *err) {
    if (!cv__grow((void **)&ts->t, &ts->cap, ts->n + 1, sizeof *ts->t, 1 << 24)) {
        free(t->name);
        return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    }
    ts->t[ts->n++] = *t;
    return MTL_OK;
}

CV_FN int cv__name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

#define CV_TB_NO_CRC 1   /* cv_parse_torchbin_ex flags: do not check CRC-32s (the fuzz target) */

CV_FN mtl_result cv_parse_torchbin_ex(const unsigned char *buf, size_t len, const char *what, int flags, cv_tensors *ts, mtl_error *err) {
    cv_zip z;
    cv_pk k;
    mtl_result r;
    const unsigned char *pkl, *d;
    size_t pl, dl, pre;
    int e, top = -1, c, first = ts->n;
    char *path = NULL, shown[96], shown2[96];
    memset(&k, 0, sizeof k);
    if ((r = cv_zip_open(&z, buf, len, what, err)) != MTL_OK) return r;
    z.check_crc = !(flags & CV_TB_NO_CRC);
    /* <name>/ as torch reads it: the folder of the first entry */
    for (pre = 0; z.n && pre < z.e[0].name_len && z.e[0].name[pre] != '/'; pre++) {}
    if (!z.n || pre == z.e[0].name_len) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: a zip archive but not a torch checkpoint (no <name>/data.pkl)", what); goto done; }
    pre++;
    path = (char *)malloc(pre + 32 + 4096);
    if (!path) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
    memcpy(path, z.e[0].name, pre);
    memcpy(path + pre, "byteorder", 9);
    if ((e = cv_zip_find(&z, path, pre + 9)) >= 0) {
        if ((r = cv_zip_data(&z, e, &d, &dl, what, err)) != MTL_OK) goto done;
        if (dl != 6 || memcmp(d, "little", 6)) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: byteorder '%s' (only little-endian checkpoints are read)", what, cv__shown(shown, 16, d, dl)); goto done; }
    }
    memcpy(path + pre, "data.pkl", 8);
    if ((e = cv_zip_find(&z, path, pre + 8)) < 0) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: a zip archive but not a torch checkpoint (no %s)", what, cv__shown(shown, sizeof shown, (const unsigned char *)path, pre + 8)); goto done; }
    if ((r = cv_zip_data(&z, e, &pkl, &pl, what, err)) != MTL_OK) goto done;
    k.p = pkl;
    k.len = pl;
    k.what = what;
    k.err = err;
    if ((r = cv__pk_run(&k, &top)) != MTL_OK) goto done;
    if (k.v[top].kind != CV_PV_DICT) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: the checkpoint is not a dict of tensors", what); goto done; }
    for (c = k.v[top].head; c >= 0; c = k.c[c].next) {
        const cv_pv *key = &k.v[k.c[c].k], *val = &k.v[k.c[c].v];
        const cv_ptensor *pt;
        cv_pv *sv;
        cv_tensor t;
        uint64_t esz;
        int q;
        if (key->kind != CV_PV_STR || !key->n || memchr(key->s, 0, key->n)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: a state dict key that is not a name", what); goto done; }
        cv__shown(shown, sizeof shown, key->s, key->n);
        if (val->kind != CV_PV_TENSOR) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: entry %s is not a tensor (only a state dict of tensors is read)", what, shown); goto done; }
        pt = &k.t[val->i];
        sv = &k.v[pt->storage];
        if (!pt->contiguous) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: tensor %s is not contiguous (strides other than row-major)", what, shown); goto done; }
        esz = sv->aux == CV_F32 ? 4 : sv->aux >= CV_OTHER ? (uint64_t)(sv->aux - CV_OTHER) : 2;
        if (!sv->data) {   /* <name>/data/<key>: exactly the storage's bytes */
            if (sv->n > 4096 || memchr(sv->s, 0, sv->n)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor %s: bad storage key", what, shown); goto done; }
            memcpy(path + pre, "data/", 5);
            memcpy(path + pre + 5, sv->s, sv->n);
            if ((e = cv_zip_find(&z, path, pre + 5 + sv->n)) < 0) {
                r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor %s: storage %s is missing", what, shown, cv__shown(shown2, sizeof shown2, (const unsigned char *)path, pre + 5 + sv->n));
                goto done;
            }
            if ((r = cv_zip_data(&z, e, &d, &dl, what, err)) != MTL_OK) goto done;
            if ((uint64_t)dl != (uint64_t)sv->i * esz) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor %s: the storage has %lu bytes, not %lu", what, shown, (unsigned long)dl, (unsigned long)((uint64_t)sv->i * esz)); goto done; }
            sv->data = d;
        }
        if (pt->offset > (uint64_t)sv->i || pt->numel > (uint64_t)sv->i - pt->offset) { r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor %s lies outside its storage", what, shown); goto done; }
        memset(&t, 0, sizeof t);
        t.dtype = sv->aux;
        t.ndim = pt->ndim;
        for (q = 0; q < pt->ndim; q++) t.shape[q] = pt->size[q];
        t.numel = pt->numel;
        t.data = sv->data + (size_t)(pt->offset * esz);
        t.nbytes = (size_t)(pt->numel * esz);
        t.name = (char *)malloc(key->n + 1);
        if (!t.name) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        memcpy(t.name, key->s, key->n);
        t.name[key->n] = 0;
        if ((r = cv__tensors_push(ts, &t, err)) != MTL_OK) goto done;
    }
    if (ts->n - first > 1) {   /* a name twice */
        char **names = (char **)malloc((size_t)(ts->n - first) * sizeof(char *));
        if (!names) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        for (c = first; c < ts->n; c++) names[c - first] = ts->t[c].name;
        qsort(names, (size_t)(ts->n - first), sizeof(char *), cv__name_cmp);
        for (c = 1; c < ts->n - first && !r; c++) {
            if (!strcmp(names[c - 1], names[c])) r = mtl__err(err, MTL_ERR_FORMAT, "%s: tensor %s appears twice", what, cv__shown(shown, sizeof shown, (const unsigned char *)names[c], strlen(names[c])));
        }
        free(names);
    }
done:
    free(path);
    cv__pk_free(&k);
    cv_zip_free(&z);
    return r;
}

/* Parses one pytorch_model.bin buffer and appends its tensors (views into buf) to ts. */
CV_FN mtl_result cv_parse_torchbin(const unsigned char *buf, size_t len, const char *what, cv_tensors *ts, mtl_error *err) {
    return cv_parse_torchbin_ex(buf, len, what, 0, ts, err);
}

/* The reader's counterpart, for tests and the fuzz target: a zip archive of n stored entries (with
   CRC-32s), ending like torch's (zip64 end of central directory record and locator, then the classic
   record). zip64_extra: every central directory entry keeps its sizes and offset in a zip64 extra
   field (as for files over 4 GiB). */
CV_FN void cv_zip_build(cv_buf *out, const char *const *names, const unsigned char *const *data, const size_t *sizes, int n, int zip64_extra) {
    cv_buf cd;
    uint64_t cd_off, z64;
    int i;
    size_t *offs = (size_t *)malloc((n > 0 ? (size_t)n : 1) * sizeof(size_t));
    memset(&cd, 0, sizeof cd);
    if (!offs) return;
    for (i = 0; i < n; i++) {
        const size_t nl = strlen(names[i]);
        const uint32_t crc = cv__crc32(data[i], sizes[i]);
        unsigned char h[46];
        memset(h, 0, sizeof h);
        offs[i] = out->n;
        cv_u32(out, 0x04034b50u);
        h[0] = 20; h[4] = 0; h[5] = 0;     /* version needed, flags */
        cv_put(out, h, 6);                 /* version, flags, method 0 */
        cv_u32(out, 0);                    /* time, date */
        cv_u32(out, crc);
        cv_u32(out, (uint32_t)sizes[i]);
        cv_u32(out, (uint32_t)sizes[i]);
        h[0] = (unsigned char)nl; h[1] = (unsigned char)(nl >> 8);
        cv_put(out, h, 2);
        cv_put(out, h + 2, 2);             /* no extra */
        cv_put(out, names[i], nl);
        if (sizes[i]) cv_put(out, data[i], sizes[i]);
        /* the central directory entry */
        memset(h, 0, sizeof h);
        h[0] = 0x50; h[1] = 0x4b; h[2] = 1; h[3] = 2; h[4] = 45; h[6] = 45;
        h[16] = (unsigned char)crc; h[17] = (unsigned char)(crc >> 8); h[18] = (unsigned char)(crc >> 16); h[19] = (unsigned char)(crc >> 24);
        h[28] = (unsigned char)nl; h[29] = (unsigned char)(nl >> 8);
        if (zip64_extra) { memset(h + 20, 0xFF, 8); memset(h + 42, 0xFF, 4); h[30] = 28; }
        else {
            uint32_t sz = (uint32_t)sizes[i], of = (uint32_t)offs[i];
            h[20] = h[24] = (unsigned char)sz; h[21] = h[25] = (unsigned char)(sz >> 8); h[22] = h[26] = (unsigned char)(sz >> 16); h[23] = h[27] = (unsigned char)(sz >> 24);
            h[42] = (unsigned char)of; h[43] = (unsigned char)(of >> 8); h[44] = (unsigned char)(of >> 16); h[45] = (unsigned char)(of >> 24);
        }
        cv_put(&cd, h, 46);
        cv_put(&cd, names[i], nl);
        if (zip64_extra) {
            unsigned char x[4] = {1, 0, 24, 0};
            cv_put(&cd, x, 4);
            cv_u64(&cd, sizes[i]);
            cv_u64(&cd, sizes[i]);
            cv_u64(&cd, offs[i]);
        }
    }
    cd_off = out->n;
    cv_put(out, cd.d, cd.n);
    z64 = out->n;
    cv_u32(out, 0x06064b50u); cv_u64(out, 44); cv_u32(out, 45 << 16 | 45);
    cv_u32(out, 0); cv_u32(out, 0);
    cv_u64(out, (uint64_t)n); cv_u64(out, (uint64_t)n); cv_u64(out, cd.n); cv_u64(out, cd_off);
    cv_u32(out, 0x07064b50u); cv_u32(out, 0); cv_u64(out, z64); cv_u32(out, 1);
    cv_u32(out, 0x06054b50u); cv_u32(out, 0);
    cv_u32(out, (uint32_t)n << 16 | (uint32_t)n);
    cv_u32(out, (uint32_t)cd.n); cv_u32(out, (uint32_t)cd_off);
    cv_put(out, "\0\0", 2);
    cv_buf_free(&cd);
    free(offs);
}

#endif
