/* mtl_tokenizer.h - BERT WordPiece, byte-level BPE and SentencePiece Unigram tokenizers, identical to HF `tokenizers`.
   MIT licence at the end.

   USAGE
     In ONE C or C++ file:
         #define MTL_TOKENIZER_IMPLEMENTATION
         #include "mtl_tokenizer.h"
     everywhere else just #include "mtl_tokenizer.h".

         mtl_tokenizer *tok; mtl_error err; mtl_encoding enc = {0};
         if (mtl_tokenizer_load_dir("all-MiniLM-L6-v2", NULL, &tok, &err)) { puts(err.msg); return 1; }
         mtl_encode(tok, "Hello, world!", 13, NULL, &enc, &err);
         for (int i = 0; i < enc.n; i++) printf("%d ", enc.ids[i]);      // 101 7592 1010 2088 999 102
         mtl_encoding_free(&enc); mtl_tokenizer_free(tok);

   WHAT IT DOES (the pipeline of HF tokenizers 0.23 for BERT, in this order)
     raw text -> added-token extraction ([CLS] [SEP] [PAD] [UNK] [MASK] ... matched in the raw bytes)
              -> BertNormalizer: clean_text, handle_chinese_chars, strip_accents (NFD, drop Mn), lowercase
              -> BertPreTokenizer: split on whitespace, every punctuation char is its own word
              -> WordPiece: greedy longest-match-first, "##" continuation, whole word -> [UNK] on failure
                 or when longer than max_input_chars_per_word (100) code points
              -> template ([CLS] A [SEP] / [CLS] A [SEP] B [SEP]) -> truncation -> padding
     Offsets are byte offsets [start, end) into the original text of each sequence; word ids count
     the pre-tokenized words of each sequence (-1 for special and pad tokens).

   BYTE-LEVEL BPE (GPT-2 / RoBERTa tokenizer.json, model "BPE")
     raw text -> added-token extraction (lstrip / rstrip) -> ByteLevel: add_prefix_space, GPT-2's regex
              ('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+, on code points)
              -> bytes_to_unicode -> merges by rank (ignore_merges) -> RobertaProcessing / ByteLevel
              (trim_offsets, counted in characters as HF's Python API reports them) / TemplateProcessing
     decode = the ByteLevel decoder (+ from_utf8_lossy), no clean-up. Refused by name: any normalizer,
     other pre-tokenizers, dropout, byte_fallback, continuing_subword_prefix / end_of_word_suffix, other
     decoders and post-processors. Invalid UTF-8: a bad byte is U+FFFD (its 3 bytes are encoded).

   SENTENCEPIECE UNIGRAM (XLM-RoBERTa, multilingual-e5, ... tokenizer.json, model "Unigram")
     raw text -> added-token extraction -> normalizer: Precompiled (SentencePiece's precompiled_charsmap,
              its Darts trie read in place; per extended grapheme cluster of < 6 bytes the replacement of
              its shortest prefix key, else per character, as HF; UAX #29 clusters from the UCD tables),
              then Strip, then Replace(" {2,}" -> one char), each optional, in that order
              -> pre-tokenizer: Metaspace (spaces -> U+2581, prepend_scheme always / first / never, split),
              alone or after WhitespaceSplit (transformers' XLM-R conversion)
              -> Unigram: Viterbi over the pieces' scores (doubles, summed in HF's order; the scores read
              from tokenizer.json as HF's serde_json reads them, which is not always the nearest double),
              unknown characters at min score - 10, consecutive unknowns fused, byte_fallback to "<0xXX>"
              pieces -> TemplateProcessing (XLM-R: <s> A </s> / <s> A </s></s> B </s>)
     Offsets follow HF's alignments through every step (an expansion "ﬁ" -> "fi": both pieces get the
     ligature's bytes; an inserted U+2581 the next character's). decode = the Metaspace decoder, or
     Llama's [Replace, ByteFallback, Fuse, Strip]. Refused by name: other normalizers (or another order),
     other pre-tokenizers, other decoders, added tokens outside the model's vocabulary. Invalid UTF-8 in
     a text: a bad byte is U+FFFD. Define MTL_NO_UNIGRAM to leave the model out (its Viterbi is the only
     double arithmetic in mtl: soft-float on an FPU without doubles; a Unigram file is then refused).

   LOADING
     mtl_tokenizer_load_dir(dir)      a Hugging Face model folder: tokenizer.json when present, else
                                      vocab.txt + tokenizer_config.json + special_tokens_map.json
     mtl_tokenizer_load_vocab(path)   a vocab.txt; flags come from the options struct
     mtl_tokenizer_from_memory(files) the same files as memory buffers (no stdio: for firmware)
     mtl_tokenizer_from_tokens(...)   a token list + options (used by the mtl_bert.h blob loader)
     mtl_tokenizer_from_image(img)    a tokenizer image (mtl_tokenizer_image), used in place with no
                                      allocation: how mtl_bert.h loads the tokenizer stored in a model
     Options are a zero-initialised struct; a nonzero field overrides what the files say.

   TRUNCATION / PADDING BLOCKS OF tokenizer.json
     Some tokenizer.json files carry "truncation"/"padding" blocks (all-MiniLM-L6-v2: max_length 128,
     padding Fixed(128)). Like transformers and sentence-transformers, which override them on every call,
     mtl IGNORES them by default: an encode does exactly what its mtl_encode_options say (zero = no
     truncation, no padding). To get the behaviour of `tokenizers.Tokenizer.from_file(...)` as-is, ask
     for the file's settings: mtl_tokenizer_file_options(tok, &opt) fills an mtl_encode_options.

   BAD INPUT (documented fallbacks)
     - Invalid UTF-8: each invalid byte is read as U+FFFD, which clean_text removes (so it joins the
       text around it, like a control character). With clean_text off it stays and becomes [UNK].
     - Texts longer than 2^31-1 bytes are refused (MTL_ERR_TOO_LONG); anything shorter works (a 10 MB
       word is one [UNK]). NUL bytes are allowed (texts always come with a length). BPE: one
       pre-tokenized word (a run of letters, say) of more than 2^24 bytes is refused (MTL_ERR_TOO_LONG).
     - vocab.txt: one token per line, id = line number, a trailing "\r" is dropped (CRLF files work), an
       empty line is an (unmatchable) empty token; a duplicated token maps to its LAST line (as HF).
       Refused: an empty vocab, a NUL byte or invalid UTF-8 in it, no unknown token in it.
     - tokenizer.json: malformed JSON, a model other than WordPiece, byte-level BPE and Unigram, or a normalizer /
       pre-tokenizer / post-processor / decoder mtl does not implement is refused with a message naming it.
     - Added tokens marked "normalized": true are matched in the raw text like the others (HF matches
       them in the normalized text); "single_word" is ignored. BERT tokenizers use neither.
     - NFD here does not apply canonical reordering of combining marks: with accent stripping this only
       changes the order of two adjacent surviving (non-Mn) combining marks, which no BERT vocab holds.

   THREADS
     A loaded mtl_tokenizer is never written to: share it between threads freely. An mtl_encoding is
     per-call state (outputs and scratch): one per thread.

   MEMORY
     All allocation goes through MTL_MALLOC / MTL_REALLOC / MTL_FREE (define all three to override).
     mtl_encoding_init_buffer() makes an encoding that lives in caller memory and never allocates (BPE
     merges in it too: room for 5 tokens per byte of the longest pre-tokenized word, beyond the tokens;
     Unigram normalizes a stretch between added tokens there: about 4 tokens' room per byte of it).
     Define MTL_NO_STDIO to leave out every function that touches files.
*/
#ifndef MTL_TOKENIZER_H
#define MTL_TOKENIZER_H

/* The version of mtl (the same in mtl_bert.h; the command-line tools print it with --version) */
#ifndef MTL_VERSION
#define MTL_VERSION "0.1.0"
#endif

#include <stddef.h>
#include <stdint.h>

#ifndef MTLDEF
#ifdef MTL_STATIC
#define MTLDEF static
#else
#define MTLDEF extern
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MTL_RESULT_DEFINED
#define MTL_RESULT_DEFINED
/* Every mtl function that can fail returns one of these; MTL_OK is 0. */
typedef enum mtl_result {
    MTL_OK = 0,
    MTL_ERR_ARG = 1,          /* a bad argument or option                                        */
    MTL_ERR_NOMEM = 2,        /* allocation failed, or a caller buffer is too small                  */
    MTL_ERR_IO = 3,           /* a file could not be opened, read or written                         */
    MTL_ERR_FORMAT = 4,       /* malformed, corrupt or truncated input file or buffer                */
    MTL_ERR_UNSUPPORTED = 5,  /* valid input that mtl does not implement                             */
    MTL_ERR_TOO_LONG = 6,     /* an input exceeds a hard limit                                       */
    MTL_ERR_SHAPE = 7         /* tensors or arrays of the wrong shape or type                        */
} mtl_result;

/* A failure: the code and a readable message ("vocab.txt:12: invalid UTF-8"). Pass NULL to ignore. */
typedef struct mtl_error {
    mtl_result code;
    char msg[256];
} mtl_error;
#endif

typedef struct mtl_tokenizer mtl_tokenizer;

/* Loading options. Zero everywhere = take everything from the files, else HF's BertTokenizer defaults.
   The tri-state ints: 0 = from the files / default, > 0 = on, < 0 = off. */
typedef struct mtl_tokenizer_options {
    int lowercase;                 /* default on (bert-base-uncased)                           */
    int strip_accents;             /* default: same as lowercase                                 */
    int handle_chinese_chars;      /* default on                                                 */
    int clean_text;                /* default on                                                 */
    int max_input_chars_per_word;  /* 0 = from the files or 100                                  */
    int no_added_tokens;           /* nonzero: "[MASK]" etc. in a text are plain text            */
    const char *unk_token, *cls_token, *sep_token, *pad_token, *mask_token; /* NULL = files / "[UNK]".. */
    const char *continuing_subword_prefix;                                   /* NULL = files / "##"     */
} mtl_tokenizer_options;

/* A Hugging Face folder as memory buffers: set what you have, NULL/0 for the rest. */
typedef struct mtl_tokenizer_files {
    const char *tokenizer_json;          size_t tokenizer_json_len;
    const char *vocab_txt;               size_t vocab_txt_len;
    const char *tokenizer_config_json;   size_t tokenizer_config_json_len;
    const char *special_tokens_map_json; size_t special_tokens_map_json_len;
} mtl_tokenizer_files;

typedef enum mtl_truncation {
    MTL_TRUNCATE_LONGEST_FIRST = 0,  /* HF's default, with its exact arithmetic for pairs */
    MTL_TRUNCATE_ONLY_FIRST = 1,
    MTL_TRUNCATE_ONLY_SECOND = 2
} mtl_truncation;

typedef enum mtl_padding {
    MTL_PAD_NONE = 0,
    MTL_PAD_LONGEST = 1,     /* to the longest encoding of a batch (a single encode: no-op)   */
    MTL_PAD_MAX_LENGTH = 2   /* to pad_length, or max_length when pad_length is 0            */
} mtl_padding;

/* Encode options: zero = [CLS]/[SEP] added, no truncation, no padding. */
typedef struct mtl_encode_options {
    int no_special_tokens;       /* nonzero: no [CLS]/[SEP] (HF add_special_tokens=False)       */
    int max_length;              /* > 0: truncate to this many tokens, special tokens included */
    mtl_truncation truncation;
    mtl_padding padding;
    int pad_length;
    int pad_to_multiple_of;      /* > 0: round the padded length up to a multiple of this      */
} mtl_encode_options;

typedef struct mtl_decode_options {
    int keep_special_tokens;     /* nonzero: do not skip [CLS] [SEP] [PAD] ...                  */
    int no_cleanup;              /* nonzero: no clean_up_tokenization_spaces (" ." -> ".")      */
} mtl_decode_options;

#ifndef MTL_TOKENIZER_MAX_WORD
#define MTL_TOKENIZER_MAX_WORD 256   /* the largest max_input_chars_per_word a tokenizer may ask for */
#endif

/* The result of an encode, reusable across calls (it keeps its memory). Zero-initialise it, or use
   mtl_encoding_init_buffer(). Arrays hold n entries; offsets holds 2*n (start, end) byte offsets. */
typedef struct mtl_encoding {
    int n;
    int32_t *ids, *type_ids, *attention_mask, *special_tokens_mask, *word_ids, *sequence_ids;
    int32_t *offsets;
    int truncated;               /* nonzero when truncation dropped tokens                       */
    /* private */
    int cap, raw_n, raw_cap, fixed;
    int32_t *raw;                /* 4 ints per token before the template: id, start, end, word   */
    void *mem;
    struct {
        int n, nbytes, first_s, last_e;
        int32_t src_s[MTL_TOKENIZER_MAX_WORD + 1], src_e[MTL_TOKENIZER_MAX_WORD + 1];
        uint16_t bpos[MTL_TOKENIZER_MAX_WORD + 2];
        unsigned char bytes[4 * (MTL_TOKENIZER_MAX_WORD + 1)];
    } word;
} mtl_encoding;

#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_tokenizer_load_dir(const char *dir, const mtl_tokenizer_options *opt, mtl_tokenizer **out, mtl_error *err);
MTLDEF mtl_result mtl_tokenizer_load_vocab(const char *vocab_path, const mtl_tokenizer_options *opt, mtl_tokenizer **out, mtl_error *err);
MTLDEF mtl_result mtl_tokenizer_load_json(const char *tokenizer_json_path, const mtl_tokenizer_options *opt, mtl_tokenizer **out, mtl_error *err);
#endif
MTLDEF mtl_result mtl_tokenizer_from_memory(const mtl_tokenizer_files *files, const mtl_tokenizer_options *opt, mtl_tokenizer **out, mtl_error *err);
MTLDEF mtl_result mtl_tokenizer_from_tokens(const char *const *tokens, const size_t *lens, int n, const mtl_tokenizer_options *opt, mtl_tokenizer **out, mtl_error *err);
MTLDEF void       mtl_tokenizer_free(mtl_tokenizer *tok);
/* The tokenizer as one flat block (everything it reads at run time; native byte order) and a tokenizer
   that uses such a block in place: no copy, no build, no allocation when mem is given (caller memory of
   mtl_tokenizer_struct_bytes() bytes for the small struct; NULL = MTL_MALLOC it). The image must stay
   valid and unchanged until mtl_tokenizer_free; it is checked first (a damaged one is refused).
   weights_convert stores it in model files, so a model loads its tokenizer from flash (mtl_bert.h). */
MTLDEF const void *mtl_tokenizer_image(const mtl_tokenizer *tok, size_t *len);
MTLDEF mtl_result  mtl_tokenizer_from_image(const void *image, size_t len, void *mem, size_t mem_size, mtl_tokenizer **out, mtl_error *err);
MTLDEF size_t      mtl_tokenizer_struct_bytes(void);

MTLDEF int         mtl_tokenizer_vocab_size(const mtl_tokenizer *tok);
MTLDEF int32_t     mtl_tokenizer_token_to_id(const mtl_tokenizer *tok, const char *s, size_t len); /* -1 if absent */
MTLDEF const char *mtl_tokenizer_id_to_token(const mtl_tokenizer *tok, int32_t id, size_t *len);  /* NULL if absent */
/* The resolved settings (after files and options): the options struct with every field filled in. */
MTLDEF void        mtl_tokenizer_get_options(const mtl_tokenizer *tok, mtl_tokenizer_options *out);
/* The truncation/padding blocks of the tokenizer.json it was loaded from (zero options if none). */
MTLDEF void        mtl_tokenizer_file_options(const mtl_tokenizer *tok, mtl_encode_options *out);
/* Number of tokens the template adds (2 for a single BERT sequence, 3 for a pair). */
MTLDEF int         mtl_tokenizer_num_special(const mtl_tokenizer *tok, int pair);

MTLDEF mtl_result mtl_encoding_init_buffer(mtl_encoding *enc, void *mem, size_t bytes);
MTLDEF void       mtl_encoding_free(mtl_encoding *enc);

MTLDEF mtl_result mtl_encode(const mtl_tokenizer *tok, const char *text, size_t len,
                             const mtl_encode_options *opt, mtl_encoding *out, mtl_error *err);
MTLDEF mtl_result mtl_encode_pair(const mtl_tokenizer *tok, const char *a, size_t alen, const char *b, size_t blen,
                                  const mtl_encode_options *opt, mtl_encoding *out, mtl_error *err);
/* n texts (texts_b NULL, or the n second texts of pairs) into outs[0..n); MTL_PAD_LONGEST pads to the batch. */
MTLDEF mtl_result mtl_encode_batch(const mtl_tokenizer *tok, int n, const char *const *texts, const size_t *lens,
                                   const char *const *texts_b, const size_t *lens_b,
                                   const mtl_encode_options *opt, mtl_encoding *outs, mtl_error *err);
/* Pads an existing encoding to `length` tokens (no-op when it is already that long). */
MTLDEF mtl_result mtl_encoding_pad(const mtl_tokenizer *tok, mtl_encoding *enc, int length, mtl_error *err);

/* ids -> text, as transformers' decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=True):
   tokens joined by spaces, "##" pieces glued on, then " ." -> "." etc. Writes the text and a NUL into
   out and its length into *out_len. When cap is too small: MTL_ERR_NOMEM, and *out_len = the buffer
   size needed minus 1 (the joined text before clean-up). Unknown ids are skipped. */
MTLDEF mtl_result mtl_decode(const mtl_tokenizer *tok, const int32_t *ids, int n, const mtl_decode_options *opt,
                             char *out, size_t cap, size_t *out_len, mtl_error *err);

#ifdef __cplusplus
}
#endif
#endif /* MTL_TOKENIZER_H */

/* ============================================================================================== */
/*                                        IMPLEMENTATION                                          */
/* ============================================================================================== */
#ifdef MTL_TOKENIZER_IMPLEMENTATION
#ifndef MTL_TOKENIZER_IMPLEMENTATION_DONE
#define MTL_TOKENIZER_IMPLEMENTATION_DONE

#include <string.h>
#include <stdarg.h>
#include <stdlib.h>
#include <math.h>
#ifndef MTL_NO_STDIO
#include <stdio.h>
#include <errno.h>
#endif

#if !defined(MTL_MALLOC) || !defined(MTL_REALLOC) || !defined(MTL_FREE)
#define MTL_MALLOC(sz) malloc(sz)
#define MTL_REALLOC(p, sz) realloc(p, sz)
#define MTL_FREE(p) free(p)
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Errors: a tiny formatter (%s %.*s %d %u %ld %lu %zu %c %%) so that messages need no stdio.     */
/* ---------------------------------------------------------------------------------------------- */
#ifndef MTL__ERRORS_DEFINED
#define MTL__ERRORS_DEFINED
static void mtl__fmt_put(char *buf, size_t cap, size_t *n, char c) {
    if (*n + 1 < cap) buf[*n] = c;
    (*n)++;
}
static void mtl__fmt_uint(char *buf, size_t cap, size_t *n, unsigned long long v, int neg) {
    char tmp[24];
    int k = 0;
    if (neg) mtl__fmt_put(buf, cap, n, '-');
    do { tmp[k++] = (char)('0' + (int)(v % 10)); v /= 10; } while (v && k < 24);
    while (k) mtl__fmt_put(buf, cap, n, tmp[--k]);
}
static void mtl__vfmt(char *buf, size_t cap, const char *fmt, va_list ap) {
    size_t n = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') { mtl__fmt_put(buf, cap, &n, *fmt); continue; }
        fmt++;
        if (*fmt == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            while (*s) mtl__fmt_put(buf, cap, &n, *s++);
        } else if (*fmt == '.' && fmt[1] == '*' && fmt[2] == 's') {   /* %.*s: int length, then the bytes */
            int len = va_arg(ap, int);
            const char *s = va_arg(ap, const char *);
            fmt += 2;
            while (s && len-- > 0 && *s) mtl__fmt_put(buf, cap, &n, *s++);
        } else if (*fmt == 'd') {
            int v = va_arg(ap, int);
            mtl__fmt_uint(buf, cap, &n, v < 0 ? (unsigned long long)(-(long long)v) : (unsigned long long)v, v < 0);
        } else if (*fmt == 'u') {
            mtl__fmt_uint(buf, cap, &n, va_arg(ap, unsigned), 0);
        } else if (*fmt == 'c') {
            mtl__fmt_put(buf, cap, &n, (char)va_arg(ap, int));
        } else if (*fmt == 'l' && fmt[1] == 'd') {
            long v = va_arg(ap, long);
            fmt++;
            mtl__fmt_uint(buf, cap, &n, v < 0 ? (unsigned long long)(-(long long)v) : (unsigned long long)v, v < 0);
        } else if (*fmt == 'l' && fmt[1] == 'u') {
            fmt++;
            mtl__fmt_uint(buf, cap, &n, va_arg(ap, unsigned long), 0);
        } else if (*fmt == 'z' && fmt[1] == 'u') {
            fmt++;
            mtl__fmt_uint(buf, cap, &n, va_arg(ap, size_t), 0);
        } else if (*fmt == '%') {
            mtl__fmt_put(buf, cap, &n, '%');
        } else if (!*fmt) {
            break;
        }
    }
    if (cap) buf[n < cap ? n : cap - 1] = 0;
}
/* Sets err (if any) and returns code. */
static mtl_result mtl__err(mtl_error *err, mtl_result code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        mtl__vfmt(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
static void mtl__ok(mtl_error *err) {
    if (err) { err->code = MTL_OK; err->msg[0] = 0; }
}
#endif

/* ---------------------------------------------------------------------------------------------- */
/* UTF-8                                                                                          */
/* ---------------------------------------------------------------------------------------------- */
/* Decodes one code point at s[*i] (i < len) and advances *i. An invalid byte decodes as U+FFFD and
   advances one byte (surrogates, overlong forms and values above U+10FFFF are invalid). */
static uint32_t mtl__utf8_next(const unsigned char *s, size_t len, size_t *i) {
    size_t p = *i;
    uint32_t c = s[p];
    if (c < 0x80) { *i = p + 1; return c; }
    if (c >= 0xC2 && c <= 0xDF) {
        if (p + 1 < len && (s[p + 1] & 0xC0) == 0x80) { *i = p + 2; return ((c & 0x1F) << 6) | (s[p + 1] & 0x3Fu); }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (p + 2 < len && (s[p + 1] & 0xC0) == 0x80 && (s[p + 2] & 0xC0) == 0x80) {
            uint32_t v = ((c & 0x0F) << 12) | ((s[p + 1] & 0x3Fu) << 6) | (s[p + 2] & 0x3Fu);
            if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) { *i = p + 3; return v; }
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (p + 3 < len && (s[p + 1] & 0xC0) == 0x80 && (s[p + 2] & 0xC0) == 0x80 && (s[p + 3] & 0xC0) == 0x80) {
            uint32_t v = ((c & 0x07) << 18) | ((s[p + 1] & 0x3Fu) << 12) | ((s[p + 2] & 0x3Fu) << 6) | (s[p + 3] & 0x3Fu);
            if (v >= 0x10000 && v <= 0x10FFFF) { *i = p + 4; return v; }
        }
    }
    *i = p + 1;
    return 0xFFFD;
}
static int mtl__utf8_put(uint32_t c, unsigned char *o) {
    if (c < 0x80) { o[0] = (unsigned char)c; return 1; }
    if (c < 0x800) { o[0] = (unsigned char)(0xC0 | (c >> 6)); o[1] = (unsigned char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12)); o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F)); return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18)); o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)); o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}
/* 1 if s[0..len) is valid UTF-8. */
static int mtl__utf8_valid(const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        size_t p = i;
        if (mtl__utf8_next((const unsigned char *)s, len, &i) == 0xFFFD && !(i - p == 3 && (unsigned char)s[p] == 0xEF)) return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* Unicode tables (generated)                                                                     */
/* ---------------------------------------------------------------------------------------------- */
/* MTL_UNICODE_TABLES_BEGIN */
/* GENERATED FILE CONTENT -- DO NOT EDIT BY HAND.
 * Generated by tools/gen_unicode_tables.py from the Unicode Character
 * Database 15.0.0 (UnicodeData.txt, DerivedAge.txt, PropList.txt,
 * SpecialCasing.txt, auxiliary/GraphemeBreakProperty.txt, emoji/emoji-data.txt).
 * Regenerate with:
 *   python3 tools/gen_unicode_tables.py --inplace mtl_tokenizer.h
 * OTHER/MN/PUNCT: General_Category as of Unicode 8.0 (later Age =
 * unassigned; 6 code points use their 8.0 category); SPACE: White_Space;
 * lower: simple lowercase + unconditional SpecialCasing, plus the 55
 * mappings Unicode 16/17 added (Rust std in tokenizers 0.23.2); nfd: full
 * canonical decomposition of code points assigned <= 12.1 (Hangul
 * algorithmic), no reordering; LETTER/NUMBER: General_Category L* and N*
 * of this UCD plus the 5004 code points Unicode 16.0 made L or N (Oniguruma
 * in tokenizers 0.23.2 and 0.23.3). */
#define MTL__UC_OTHER  1u  /* Cc Cf Co Cs, as of Unicode 8.0 */
#define MTL__UC_MN     2u  /* Mn, as of Unicode 8.0 */
#define MTL__UC_PUNCT  4u  /* Pc Pd Ps Pe Pi Pf Po, as of Unicode 8.0 */
#define MTL__UC_SPACE  8u  /* White_Space */
#define MTL__UC_LOWER 16u  /* mtl__uc_lower(cp) differs from cp */
#define MTL__UC_NFD   32u  /* mtl__uc_nfd(cp) differs from cp */
#define MTL__UC_LETTER 64u /* L*, current category (\p{L} of GPT-2's regex) */
#define MTL__UC_NUMBER 128u /* N*, current category (\p{N}) */
#define MTL__UC_NFD_MAX 4  /* longest canonical decomposition */
/* Grapheme_Cluster_Break (GraphemeBreakProperty.txt 15.0.0), Extended_Pictographic as its own value */
enum { MTL__GCB_OTHER = 0, MTL__GCB_CR = 1, MTL__GCB_LF = 2, MTL__GCB_CONTROL = 3, MTL__GCB_EXTEND = 4, MTL__GCB_ZWJ = 5, MTL__GCB_RI = 6, MTL__GCB_PREPEND = 7, MTL__GCB_SPACINGMARK = 8, MTL__GCB_L = 9, MTL__GCB_V = 10, MTL__GCB_T = 11, MTL__GCB_LV = 12, MTL__GCB_LVT = 13, MTL__GCB_EXTPICT = 14 };
#if defined(__GNUC__) || defined(__clang__)
#define MTL__UC_UNUSED __attribute__((unused))
#else
#define MTL__UC_UNUSED
#endif

static const uint8_t mtl__uc_flags_top[2176] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 27, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 28, 29, 30, 31, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32,
    32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 33, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 35, 36, 37, 38,
    39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54,
    26, 55, 56, 57, 57, 57, 57, 58, 26, 26, 59, 26, 26, 26, 26, 26,
    26, 60, 26, 61, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    62, 57, 57, 57, 26, 63, 64, 65, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 66, 26, 26, 67, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 68, 69, 70, 57, 57, 57, 57, 71, 57,
    57, 57, 57, 57, 57, 57, 72, 57, 73, 74, 75, 76, 57, 77, 57, 78,
    79, 80, 81, 82, 83, 57, 84, 85, 86, 57, 57, 57, 57, 87, 57, 57,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 88, 26, 26, 26, 26, 26, 26, 26, 89, 90, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 91, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 92, 26, 93, 57, 57, 57, 57, 32, 94, 57, 57,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 95, 26, 26, 26, 26, 26, 26,
    26, 96, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    97, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 98,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 98,
};
static const uint16_t mtl__uc_flags_mid[3168] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 17, 21, 22, 23, 24, 25, 26, 27, 28, 29,
    15, 30, 31, 32, 33, 34, 34, 34, 34, 34, 34, 34, 35, 36, 37, 38,
    39, 39, 39, 39, 40, 39, 39, 41, 42, 43, 44, 45, 46, 47, 48, 49,
    50, 51, 52, 53, 34, 54, 48, 55, 56, 48, 48, 48, 57, 58, 59, 60,
    48, 48, 48, 61, 52, 62, 34, 34, 63, 64, 39, 65, 66, 34, 67, 68,
    69, 70, 71, 34, 72, 39, 73, 74, 34, 34, 34, 34, 75, 76, 77, 78,
    79, 80, 34, 39, 81, 34, 34, 34, 34, 34, 82, 83, 84, 34, 72, 85,
    34, 86, 87, 88, 34, 89, 90, 34, 91, 38, 34, 34, 92, 38, 93, 39,
    94, 34, 53, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107,
    108, 101, 102, 109, 110, 111, 112, 113, 114, 115, 102, 116, 117, 118, 106, 119,
    120, 101, 102, 121, 122, 123, 106, 124, 125, 126, 127, 92, 128, 118, 112, 129,
    130, 131, 102, 132, 133, 134, 106, 135, 136, 131, 102, 137, 138, 139, 106, 140,
    141, 131, 34, 142, 143, 144, 106, 145, 146, 147, 34, 148, 149, 150, 112, 151,
    6, 34, 34, 152, 153, 154, 38, 38, 155, 34, 156, 157, 158, 159, 38, 38,
    160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 38, 38,
    34, 34, 174, 175, 176, 177, 178, 179, 180, 181, 52, 52, 182, 34, 34, 183,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 184, 185, 34, 34, 184, 34, 34, 186, 187, 188, 34, 34,
    34, 187, 34, 34, 34, 189, 190, 191, 34, 38, 52, 52, 52, 52, 52, 192,
    99, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 193, 34, 194, 195, 34, 34, 34, 34, 196, 197,
    34, 198, 34, 199, 34, 200, 201, 202, 34, 34, 34, 203, 204, 205, 206, 206,
    207, 206, 34, 34, 34, 34, 34, 208, 209, 34, 210, 34, 34, 34, 34, 211,
    34, 212, 213, 214, 215, 34, 216, 217, 34, 34, 218, 34, 92, 219, 38, 38,
    34, 220, 34, 34, 34, 221, 222, 223, 206, 206, 224, 225, 38, 38, 38, 38,
    226, 227, 34, 228, 229, 176, 230, 231, 232, 34, 233, 84, 34, 34, 234, 235,
    34, 34, 236, 237, 238, 84, 34, 239, 240, 52, 52, 241, 242, 243, 244, 245,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 39, 39, 39, 246,
    15, 15, 15, 15, 15, 15, 15, 15, 15, 247, 15, 15, 15, 15, 15, 248,
    249, 250, 249, 249, 250, 251, 249, 252, 249, 249, 249, 253, 254, 255, 256, 257,
    258, 259, 260, 259, 261, 262, 263, 264, 265, 266, 38, 38, 38, 267, 268, 269,
    270, 271, 272, 273, 274, 162, 275, 162, 276, 277, 278, 38, 279, 38, 38, 38,
    280, 38, 281, 38, 282, 38, 283, 284, 284, 38, 285, 38, 38, 38, 286, 38,
    287, 38, 288, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 162, 162, 162, 289, 38, 290, 291, 38, 292, 162,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 293, 294, 162, 295, 38, 38, 296, 38, 297, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 298, 299, 38, 38, 38, 287, 38, 300,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 301, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    52, 52, 52, 34, 34, 34, 302, 303, 48, 48, 48, 48, 48, 48, 304, 305,
    34, 34, 306, 34, 34, 34, 307, 308, 34, 309, 310, 310, 310, 310, 39, 39,
    259, 259, 311, 259, 312, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    313, 314, 315, 316, 317, 318, 319, 320, 34, 321, 322, 318, 319, 320, 34, 323,
    146, 34, 34, 6, 34, 34, 34, 34, 212, 324, 34, 34, 38, 38, 38, 34,
    38, 38, 206, 38, 325, 326, 38, 38, 206, 38, 38, 326, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 38, 38, 38, 38,
    34, 34, 34, 34, 34, 34, 34, 34, 266, 38, 38, 38, 38, 34, 34, 239,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    327, 34, 328, 38, 48, 48, 329, 330, 48, 331, 34, 34, 34, 34, 332, 333,
    38, 334, 335, 336, 48, 48, 48, 337, 338, 339, 340, 341, 342, 343, 38, 344,
    345, 34, 346, 347, 34, 34, 34, 348, 349, 34, 34, 350, 351, 206, 39, 352,
    84, 34, 353, 34, 354, 355, 34, 266, 94, 34, 34, 356, 357, 358, 359, 360,
    34, 34, 361, 362, 363, 364, 34, 365, 34, 34, 34, 366, 367, 368, 369, 370,
    371, 372, 310, 34, 34, 373, 92, 34, 34, 34, 34, 34, 34, 34, 374, 206,
    375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375,
    375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375,
    375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375,
    375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 376, 34, 377, 34, 34, 218,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375, 375,
    378, 379, 380, 375, 375, 375, 252, 375, 375, 375, 375, 375, 375, 381, 38, 38,
    309, 382, 383, 384, 385, 34, 34, 34, 34, 34, 34, 36, 38, 386, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 239, 38, 34, 34, 34, 34, 349, 34, 34, 387, 38, 38, 218,
    39, 388, 39, 259, 259, 389, 390, 391, 34, 34, 34, 34, 34, 34, 34, 392,
    393, 3, 4, 5, 6, 394, 395, 34, 34, 34, 34, 212, 396, 397, 38, 398,
    399, 34, 188, 400, 216, 216, 38, 38, 34, 34, 34, 34, 34, 34, 34, 90,
    401, 162, 162, 295, 162, 162, 162, 402, 403, 38, 38, 38, 38, 38, 38, 404,
    38, 38, 38, 38, 38, 38, 38, 38, 34, 266, 34, 34, 34, 118, 405, 289,
    34, 34, 406, 34, 407, 34, 34, 408, 34, 409, 34, 34, 410, 411, 38, 38,
    52, 52, 412, 34, 34, 34, 34, 34, 34, 216, 206, 52, 52, 413, 34, 218,
    34, 34, 387, 34, 34, 34, 414, 415, 415, 416, 115, 417, 34, 34, 34, 350,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 309, 34, 211, 387, 38, 418, 34, 34, 419, 38, 38, 38, 38,
    420, 34, 34, 421, 34, 422, 34, 423, 34, 212, 424, 38, 38, 38, 34, 425,
    34, 426, 34, 427, 38, 38, 38, 38, 34, 34, 34, 428, 162, 429, 162, 162,
    430, 431, 34, 432, 402, 299, 34, 433, 34, 434, 38, 38, 435, 34, 436, 437,
    34, 34, 34, 438, 34, 439, 34, 440, 34, 441, 442, 38, 38, 38, 38, 38,
    34, 34, 34, 34, 208, 38, 38, 38, 52, 52, 52, 443, 34, 34, 34, 444,
    34, 34, 350, 206, 84, 52, 445, 34, 211, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 162, 446, 34, 34, 92, 36, 447, 38, 38, 38,
    34, 434, 448, 34, 211, 449, 38, 34, 36, 38, 38, 34, 450, 38, 34, 309,
    451, 34, 34, 452, 453, 429, 162, 454, 232, 455, 456, 457, 458, 34, 208, 206,
    459, 34, 460, 461, 462, 34, 34, 463, 232, 34, 34, 464, 465, 466, 326, 467,
    34, 115, 468, 469, 118, 38, 38, 38, 470, 471, 472, 34, 34, 473, 474, 206,
    475, 101, 102, 116, 476, 477, 478, 479, 480, 34, 34, 481, 38, 482, 38, 38,
    34, 34, 34, 217, 483, 484, 36, 38, 34, 34, 34, 485, 486, 206, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 34, 34, 212, 487, 488, 489, 38, 38,
    34, 34, 34, 490, 491, 206, 38, 38, 34, 34, 492, 493, 206, 162, 295, 38,
    34, 189, 494, 495, 309, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 218, 38, 38, 38, 38, 38, 38, 38, 52, 52, 34, 34, 162, 496,
    497, 498, 34, 499, 500, 206, 38, 38, 38, 38, 501, 34, 34, 118, 482, 38,
    502, 34, 34, 503, 38, 504, 34, 34, 92, 505, 38, 34, 34, 34, 34, 208,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 34, 34, 118, 206,
    102, 34, 212, 38, 118, 162, 191, 349, 34, 38, 38, 38, 38, 38, 38, 38,
    506, 34, 34, 118, 507, 206, 508, 34, 92, 509, 206, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 34, 510,
    511, 131, 34, 350, 38, 206, 38, 38, 38, 38, 38, 118, 162, 467, 38, 38,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 92, 38, 38, 38, 38, 38, 38,
    162, 162, 162, 162, 162, 162, 446, 512, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 350, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 34, 34, 34, 34, 34, 34, 118,
    34, 34, 34, 38, 372, 38, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 90,
    34, 34, 34, 34, 309, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 216, 38, 206, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 34, 208, 34, 212, 358, 34, 34, 34, 34, 212, 206, 34, 216, 513,
    34, 34, 34, 514, 515, 516, 517, 518, 34, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 34, 34, 266, 206, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 52, 52, 34, 34, 162, 519, 291, 520, 38, 38, 38, 38,
    34, 34, 34, 34, 90, 118, 38, 38, 521, 459, 38, 38, 38, 38, 522, 38,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 387,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 211, 38, 499,
    208, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 523,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 510, 524, 38, 525, 526, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 218,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 34, 34, 34, 34, 90, 266, 208, 527, 528, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 206,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 529, 530, 531, 532, 38, 533, 534, 535, 38, 38, 38,
    38, 38, 38, 38, 536, 38, 38, 38, 38, 38, 38, 38, 162, 295, 162, 295,
    38, 38, 38, 38, 38, 38, 162, 402, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 34, 34, 34, 391, 34, 34, 34, 201, 537, 538, 539, 34, 34, 34,
    540, 541, 34, 542, 543, 131, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 544, 34, 131, 373, 34, 373,
    34, 391, 34, 391, 212, 34, 212, 34, 102, 34, 102, 34, 545, 162, 162, 162,
    39, 39, 39, 546, 39, 39, 267, 547, 548, 549, 64, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 212, 550, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 34, 34, 34, 216, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 266, 551, 552, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 34, 216, 38, 34, 34, 218, 206,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 34, 218, 206,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 34, 216, 553,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 554, 212,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 555, 556, 38, 38,
    52, 52, 557, 34, 558, 206, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 326, 162, 162, 559, 449, 38, 38, 38, 38,
    326, 162, 560, 561, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    539, 34, 562, 563, 564, 565, 566, 567, 568, 218, 569, 218, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    191, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 206,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 38, 38,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 92, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 216, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 36, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 118, 34,
    34, 34, 34, 34, 34, 216, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    375, 252, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 90, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34,
    34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 38, 38, 38, 38, 38,
    570, 38, 1, 1, 1, 1, 1, 1, 38, 38, 38, 38, 38, 38, 38, 38,
    39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 38,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 571,
};
static const uint8_t mtl__uc_flags_data[9152] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    8, 4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 0, 4, 4, 4, 4,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 4, 4, 0, 0, 0, 4,
    4, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80,
    80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 4, 4, 4, 0, 4,
    0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 0, 4, 0, 1,
    1, 1, 1, 1, 1, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    8, 4, 0, 0, 0, 0, 0, 4, 0, 0, 64, 4, 0, 1, 0, 0,
    0, 0, 128, 128, 0, 64, 4, 4, 0, 128, 64, 4, 128, 128, 128, 4,
    112, 112, 112, 112, 112, 112, 80, 112, 112, 112, 112, 112, 112, 112, 112, 112,
    80, 112, 112, 112, 112, 112, 112, 0, 80, 112, 112, 112, 112, 112, 80, 64,
    96, 96, 96, 96, 96, 96, 64, 96, 96, 96, 96, 96, 96, 96, 96, 96,
    64, 96, 96, 96, 96, 96, 96, 0, 64, 96, 96, 96, 96, 96, 64, 96,
    112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96,
    80, 64, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96,
    112, 96, 112, 96, 112, 96, 80, 64, 112, 96, 112, 96, 112, 96, 112, 96,
    112, 64, 80, 64, 112, 96, 112, 96, 64, 112, 96, 112, 96, 112, 96, 80,
    64, 80, 64, 112, 96, 112, 96, 112, 96, 64, 80, 64, 112, 96, 112, 96,
    112, 96, 80, 64, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96,
    112, 96, 112, 96, 112, 96, 112, 96, 112, 112, 96, 112, 96, 112, 96, 64,
    64, 80, 80, 64, 80, 64, 80, 80, 64, 80, 80, 80, 64, 64, 80, 80,
    80, 80, 64, 80, 80, 64, 80, 80, 80, 64, 64, 64, 80, 80, 64, 80,
    112, 96, 80, 64, 80, 64, 80, 80, 64, 80, 64, 64, 80, 64, 80, 112,
    96, 80, 80, 80, 64, 80, 64, 80, 80, 64, 64, 64, 80, 64, 64, 64,
    64, 64, 64, 64, 80, 80, 64, 80, 80, 64, 80, 80, 64, 112, 96, 112,
    96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 64, 112, 96,
    112, 96, 112, 96, 80, 64, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96,
    96, 80, 80, 64, 112, 96, 80, 80, 112, 96, 112, 96, 112, 96, 112, 96,
    112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 80, 64, 112, 96,
    80, 64, 80, 64, 80, 64, 112, 96, 112, 96, 112, 96, 112, 96, 112, 96,
    112, 96, 112, 96, 64, 64, 64, 64, 64, 64, 80, 80, 64, 80, 80, 64,
    64, 80, 64, 80, 80, 80, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 64, 0, 64, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    34, 34, 2, 34, 34, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    80, 64, 80, 64, 96, 0, 80, 64, 0, 0, 64, 64, 64, 64, 36, 80,
    0, 0, 0, 0, 0, 32, 112, 36, 112, 112, 112, 0, 112, 0, 112, 112,
    96, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80,
    80, 80, 0, 80, 80, 80, 80, 80, 80, 80, 112, 112, 96, 96, 96, 96,
    96, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 96, 96, 96, 96, 80,
    64, 64, 64, 96, 96, 64, 64, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    64, 64, 64, 64, 80, 64, 0, 80, 64, 80, 80, 64, 64, 80, 80, 80,
    112, 112, 80, 112, 80, 80, 80, 112, 80, 80, 80, 80, 112, 112, 112, 80,
    80, 80, 80, 80, 80, 80, 80, 80, 80, 112, 80, 80, 80, 80, 80, 80,
    80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 64, 64, 64, 64, 64, 64,
    96, 96, 64, 96, 64, 64, 64, 96, 64, 64, 64, 64, 96, 96, 96, 64,
    80, 64, 80, 64, 80, 64, 112, 96, 80, 64, 80, 64, 80, 64, 80, 64,
    80, 64, 0, 2, 2, 2, 2, 2, 0, 0, 80, 64, 80, 64, 80, 64,
    80, 112, 96, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 64,
    112, 96, 112, 96, 80, 64, 112, 96, 80, 64, 112, 96, 112, 96, 112, 96,
    80, 64, 112, 96, 112, 96, 112, 96, 80, 64, 112, 96, 112, 96, 112, 96,
    112, 96, 112, 96, 112, 96, 80, 64, 112, 96, 80, 64, 80, 64, 80, 64,
    0, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80,
    80, 80, 80, 80, 80, 80, 80, 0, 0, 64, 4, 4, 4, 4, 4, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 4, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 2,
    4, 2, 2, 4, 2, 2, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 64,
    64, 64, 64, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 0, 0, 0, 4, 4, 0, 4, 4, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 1, 0, 4, 4,
    64, 64, 96, 96, 96, 96, 96, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 4, 4, 4, 4, 64, 64,
    2, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    96, 64, 96, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 96, 4, 64, 2, 2, 2, 2, 2, 2, 2, 1, 0, 2,
    2, 2, 2, 2, 2, 64, 64, 2, 2, 0, 2, 2, 2, 2, 64, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 64, 64, 64, 0, 0, 64,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 1,
    64, 2, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 64, 64, 64, 64, 64, 64,
    2, 2, 2, 2, 64, 64, 0, 4, 4, 4, 64, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 64, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 64, 2, 2, 2, 64, 2, 2, 2, 2, 2, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 0, 0, 4, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 96, 64, 64, 96, 64, 64, 64, 64, 64, 2, 0, 2, 64, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 0, 0,
    64, 2, 2, 2, 2, 2, 2, 2, 96, 96, 96, 96, 96, 96, 96, 96,
    64, 64, 2, 2, 4, 4, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    4, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 2, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 64,
    64, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64,
    64, 0, 64, 0, 0, 0, 64, 64, 64, 64, 0, 0, 2, 64, 0, 0,
    0, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 32, 32, 2, 64, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 96, 96, 0, 96,
    64, 64, 2, 2, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 0, 0, 128, 128, 128, 128, 128, 128, 0, 0, 64, 0, 0, 0,
    0, 2, 2, 0, 0, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 64,
    64, 0, 64, 96, 0, 64, 96, 0, 64, 64, 0, 0, 2, 0, 0, 0,
    0, 2, 2, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2, 2, 0, 0,
    0, 2, 0, 0, 0, 0, 0, 0, 0, 96, 96, 96, 64, 0, 96, 0,
    0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    2, 2, 64, 64, 64, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 2, 2, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64,
    64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 0, 64, 64, 0, 64, 64, 64, 64, 64, 0, 0, 2, 64, 0, 0,
    0, 2, 2, 2, 2, 2, 0, 2, 2, 0, 0, 0, 0, 2, 0, 0,
    64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0,
    0, 2, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 64,
    64, 0, 64, 64, 0, 64, 64, 64, 64, 64, 0, 0, 2, 64, 0, 2,
    0, 2, 2, 2, 2, 0, 0, 0, 32, 0, 0, 32, 32, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 96, 96, 0, 64,
    0, 64, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 64, 0, 64, 64, 64, 64, 64, 64, 0, 0, 0, 64, 64,
    64, 0, 64, 64, 96, 64, 0, 0, 0, 64, 64, 0, 64, 0, 64, 64,
    0, 0, 0, 64, 64, 0, 0, 0, 64, 64, 64, 0, 0, 0, 64, 64,
    2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 32, 2, 0, 0,
    128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64,
    64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 64, 2, 2,
    2, 0, 0, 0, 0, 0, 2, 2, 34, 0, 2, 2, 2, 2, 0, 0,
    0, 0, 0, 0, 0, 2, 2, 0, 64, 64, 64, 0, 0, 64, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128, 0,
    64, 2, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64,
    64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 0, 0, 2, 64, 0, 2,
    32, 0, 0, 0, 0, 0, 2, 32, 32, 0, 32, 32, 2, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64, 0,
    0, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 2, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 64, 0, 0,
    0, 2, 2, 2, 2, 0, 0, 0, 0, 0, 32, 32, 32, 2, 64, 0,
    0, 0, 0, 0, 64, 64, 64, 0, 128, 128, 128, 128, 128, 128, 128, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 64, 64, 64, 64, 64, 64,
    0, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 64, 64, 64, 64, 64, 64,
    64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 2, 0, 0, 0, 0, 0,
    0, 0, 2, 2, 2, 0, 2, 0, 0, 0, 32, 0, 32, 32, 32, 0,
    0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 2, 64, 64, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 2, 2, 2, 4,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 4, 4, 0, 0, 0, 0,
    0, 64, 64, 0, 64, 0, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64,
    64, 64, 64, 64, 0, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 2, 64, 64, 2, 2, 2, 2, 2, 2, 0, 2, 2, 64, 0, 0,
    64, 64, 64, 64, 64, 0, 64, 0, 2, 2, 2, 2, 2, 2, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 64, 64, 64, 64,
    64, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 0, 4, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 0, 2, 0, 2, 0, 2, 4, 4, 4, 4, 0, 0,
    64, 64, 64, 96, 64, 64, 64, 64, 0, 64, 64, 64, 64, 96, 64, 64,
    64, 64, 96, 64, 64, 64, 64, 96, 64, 64, 64, 64, 96, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 64, 64, 64, 0, 0, 0,
    0, 2, 2, 34, 2, 34, 34, 2, 34, 2, 2, 2, 2, 2, 2, 0,
    2, 34, 2, 2, 2, 4, 2, 2, 64, 64, 64, 64, 64, 2, 2, 2,
    2, 2, 2, 34, 2, 2, 2, 2, 0, 2, 2, 2, 2, 34, 2, 2,
    2, 2, 34, 2, 2, 2, 2, 34, 2, 2, 2, 2, 34, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 34, 2, 2, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 96, 64, 64, 64, 64, 0, 0, 2, 2, 2,
    2, 0, 2, 2, 2, 2, 2, 2, 0, 2, 2, 0, 0, 2, 2, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 4, 4, 4, 4, 4, 4,
    64, 64, 64, 64, 64, 64, 0, 0, 2, 2, 64, 64, 64, 64, 2, 2,
    2, 64, 0, 0, 0, 64, 64, 0, 0, 0, 0, 0, 0, 0, 64, 64,
    64, 2, 2, 2, 2, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 2, 64, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 2, 0, 0,
    80, 80, 80, 80, 80, 80, 0, 80, 0, 0, 0, 0, 0, 80, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 0, 64, 0, 64, 64, 64, 64, 0, 0,
    64, 0, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64, 64, 0,
    64, 0, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 2, 2, 2,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0,
    80, 80, 80, 80, 80, 80, 0, 0, 64, 64, 64, 64, 64, 64, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 4, 64,
    8, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 4, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 4, 4, 128, 128,
    128, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64,
    64, 64, 2, 2, 2, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64,
    64, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 4, 4, 4, 64, 4, 4, 4, 0, 64, 2, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 2, 1, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 2, 64, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0,
    2, 2, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0,
    0, 0, 0, 0, 4, 4, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0,
    64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 2, 2, 0, 0, 2, 0, 0, 4, 4,
    64, 64, 64, 64, 64, 0, 2, 0, 2, 2, 2, 2, 2, 2, 2, 0,
    2, 0, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0,
    0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2,
    4, 4, 4, 4, 4, 4, 4, 64, 4, 4, 4, 4, 4, 4, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0,
    2, 2, 2, 2, 0, 64, 96, 64, 96, 64, 96, 64, 96, 64, 96, 64,
    64, 64, 96, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 2, 0, 2, 2, 2, 2, 2, 32, 2, 32, 0, 0,
    32, 32, 2, 32, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0,
    4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 0, 2, 2, 2, 2, 0, 0, 2, 2, 0, 2, 2, 2, 64, 64,
    64, 64, 64, 64, 64, 64, 2, 0, 2, 2, 0, 0, 0, 2, 0, 2,
    2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4,
    64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2,
    2, 2, 2, 2, 0, 0, 2, 2, 0, 0, 0, 4, 4, 4, 4, 4,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 80, 64, 0, 0, 0, 0, 0,
    80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 0, 0, 80, 80, 80,
    4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 0, 2, 2, 2, 2, 2, 2, 2, 64, 64, 64, 64, 2, 64, 64,
    64, 64, 64, 64, 2, 64, 64, 0, 2, 2, 64, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2,
    112, 96, 112, 96, 112, 96, 96, 96, 96, 96, 64, 96, 64, 64, 80, 64,
    112, 96, 112, 96, 112, 96, 112, 96, 112, 96, 80, 64, 80, 64, 80, 64,
    96, 96, 96, 96, 96, 96, 96, 96, 112, 112, 112, 112, 112, 112, 112, 112,
    96, 96, 96, 96, 96, 96, 0, 0, 112, 112, 112, 112, 112, 112, 0, 0,
    96, 96, 96, 96, 96, 96, 96, 96, 0, 112, 0, 112, 0, 112, 0, 112,
    96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 0, 0,
    96, 96, 96, 96, 96, 0, 96, 96, 112, 112, 112, 112, 112, 0, 96, 0,
    0, 32, 96, 96, 96, 0, 96, 96, 112, 112, 112, 112, 112, 32, 32, 32,
    96, 96, 96, 96, 0, 0, 96, 96, 112, 112, 112, 112, 0, 32, 32, 32,
    96, 96, 96, 96, 96, 96, 96, 96, 112, 112, 112, 112, 112, 32, 32, 32,
    0, 0, 96, 96, 96, 0, 96, 96, 112, 112, 112, 112, 112, 32, 0, 0,
    40, 40, 8, 8, 8, 8, 8, 8, 8, 8, 8, 1, 1, 1, 1, 1,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 1, 1, 1, 1, 1, 8,
    4, 4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8,
    1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    128, 64, 0, 0, 128, 128, 128, 128, 128, 128, 0, 0, 0, 4, 4, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 4, 4, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0,
    0, 2, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 64, 0, 0, 0, 0, 64, 0, 0, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 0, 64, 0, 0, 0, 64, 64, 64, 64, 64, 0, 0,
    0, 0, 0, 0, 64, 0, 112, 0, 64, 0, 112, 112, 64, 64, 0, 64,
    64, 64, 80, 64, 64, 64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64,
    0, 0, 0, 0, 0, 64, 64, 64, 64, 64, 0, 0, 0, 0, 64, 0,
    144, 144, 144, 144, 144, 144, 144, 144, 144, 144, 144, 144, 144, 144, 144, 144,
    128, 128, 128, 80, 64, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 32,
    0, 0, 0, 0, 32, 0, 0, 0, 0, 32, 0, 0, 32, 0, 0, 0,
    0, 0, 0, 0, 32, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 32, 0, 0, 32, 0, 0, 32, 0, 32, 0, 0, 0, 0, 0, 0,
    32, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 32,
    32, 32, 0, 0, 32, 32, 0, 0, 32, 32, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 32, 32,
    32, 32, 32, 32, 0, 0, 0, 0, 0, 0, 32, 32, 32, 32, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 36, 36, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128,
    0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0,
    80, 64, 80, 80, 80, 64, 64, 80, 64, 80, 64, 80, 64, 80, 80, 80,
    80, 64, 80, 64, 64, 80, 64, 64, 64, 64, 64, 64, 64, 64, 80, 80,
    80, 64, 80, 64, 64, 0, 0, 0, 0, 0, 0, 80, 64, 80, 64, 2,
    2, 2, 80, 64, 0, 0, 0, 0, 0, 4, 4, 4, 4, 128, 4, 4,
    64, 64, 64, 64, 64, 64, 0, 64, 0, 0, 0, 0, 0, 64, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 64,
    4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 64,
    4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    8, 4, 4, 4, 0, 64, 64, 128, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    0, 128, 128, 128, 128, 128, 128, 128, 128, 128, 2, 2, 2, 2, 0, 0,
    4, 64, 64, 64, 64, 64, 0, 0, 128, 128, 128, 64, 64, 4, 0, 0,
    0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 64, 96, 64,
    96, 64, 96, 64, 96, 64, 96, 64, 96, 64, 96, 64, 96, 64, 96, 64,
    96, 64, 96, 64, 64, 96, 64, 96, 64, 96, 64, 64, 64, 64, 64, 64,
    96, 96, 64, 96, 96, 64, 96, 96, 64, 96, 96, 64, 96, 96, 64, 64,
    64, 64, 64, 64, 96, 64, 64, 0, 0, 2, 2, 0, 0, 64, 96, 64,
    4, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 64, 96, 64,
    64, 64, 64, 64, 96, 64, 64, 96, 96, 96, 96, 4, 64, 64, 96, 64,
    0, 0, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128,
    0, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 4, 4,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 64, 64, 0, 0, 0, 0,
    80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 64, 2,
    0, 0, 0, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 64,
    80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 64, 64, 2, 2,
    64, 64, 64, 64, 64, 64, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    2, 2, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    0, 0, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    64, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 80, 64, 80, 64, 80, 80, 64,
    80, 64, 80, 64, 80, 64, 80, 64, 64, 0, 0, 80, 64, 80, 64, 64,
    80, 64, 80, 64, 64, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 80, 80, 80, 80, 64,
    80, 80, 80, 80, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64, 80, 64,
    80, 64, 80, 64, 80, 80, 80, 80, 64, 80, 64, 80, 80, 64, 16, 0,
    80, 64, 16, 64, 16, 64, 80, 64, 80, 64, 80, 64, 80, 0, 0, 0,
    0, 0, 64, 64, 64, 80, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 2, 64, 64, 64, 2, 64, 64, 64, 64, 2, 64, 64, 64, 64,
    64, 64, 64, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4,
    2, 2, 64, 64, 64, 64, 64, 64, 4, 4, 4, 64, 4, 64, 64, 0,
    64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4,
    64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
    64, 64, 64, 2, 0, 0, 2, 2, 2, 2, 0, 0, 2, 0, 0, 0,
    0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 4, 4,
    64, 64, 64, 64, 64, 2, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 64, 64, 64, 64, 64, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 2, 0,
    0, 2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 2, 64, 64, 64, 64, 64, 64, 64, 64, 2, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 4, 4, 4, 4,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 64, 0, 2, 0, 64, 64,
    2, 64, 2, 2, 2, 64, 64, 2, 2, 64, 64, 64, 64, 64, 2, 2,
    64, 2, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64, 64, 4, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 2, 2, 0, 0,
    4, 4, 64, 64, 64, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 64, 64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64, 0,
    0, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64,
    64, 64, 64, 0, 0, 2, 0, 0, 2, 0, 0, 4, 0, 2, 0, 0,
    96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,
    96, 96, 96, 96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 64, 64, 64, 64, 64,
    96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 64, 64,
    96, 64, 96, 64, 64, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 64,
    96, 64, 96, 64, 64, 96, 96, 64, 64, 64, 96, 96, 96, 96, 96, 96,
    96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 96, 2, 96,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 96, 96, 96, 96, 96, 96,
    96, 96, 96, 96, 96, 96, 96, 0, 96, 96, 96, 96, 96, 0, 96, 0,
    96, 96, 0, 96, 96, 0, 96, 96, 96, 96, 96, 96, 96, 96, 96, 64,
    0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 0, 4, 0, 0, 0, 0, 4, 0, 4, 4, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 1,
    0, 4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 0, 4, 4, 4, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 0, 4, 0, 4,
    4, 4, 4, 4, 4, 4, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    0, 0, 64, 64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64,
    0, 0, 64, 64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 0, 64,
    4, 4, 4, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 128, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0,
    2, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64, 64,
    64, 128, 64, 64, 64, 64, 64, 64, 64, 64, 128, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 4,
    64, 64, 64, 64, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64,
    4, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    80, 80, 80, 80, 80, 80, 80, 80, 64, 64, 64, 64, 64, 64, 64, 64,
    80, 80, 80, 80, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
    80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 0, 80, 80, 80, 80,
    80, 80, 80, 0, 80, 80, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 0, 0, 64, 0, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 0, 64, 64, 0, 0, 0, 64, 0, 0, 64,
    64, 64, 64, 64, 64, 64, 0, 4, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 128, 128, 128, 128, 128, 128, 128,
    0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 64, 0, 64, 64, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128,
    64, 64, 64, 64, 64, 64, 128, 128, 128, 128, 128, 128, 0, 0, 0, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 128, 128, 64, 64,
    0, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 2, 2, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 2, 2,
    64, 64, 64, 64, 0, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 0, 0, 2, 2, 2, 0, 0, 0, 0, 2,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 128, 128, 4,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 128, 128, 128,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 2, 2, 0, 0, 0, 0, 128, 128, 128, 128, 128,
    4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4,
    64, 64, 64, 64, 64, 64, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 64, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128,
    64, 64, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128, 128,
    80, 80, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128, 128, 128,
    80, 80, 80, 80, 80, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0,
    0, 0, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 64, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0,
    0, 2, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 0, 0,
    0, 64, 64, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 64, 96, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 96, 64, 64, 64, 64,
    0, 0, 0, 2, 2, 2, 2, 0, 0, 2, 2, 4, 4, 1, 4, 4,
    4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 2, 2, 2, 2, 2, 0, 2, 34, 34,
    2, 2, 2, 2, 2, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    4, 4, 4, 4, 64, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 2, 4, 4, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0,
    0, 64, 64, 64, 64, 4, 4, 4, 4, 4, 2, 2, 2, 4, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 64, 4, 64, 4, 4, 4,
    128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 2,
    2, 2, 0, 0, 2, 0, 2, 2, 4, 4, 4, 4, 4, 4, 0, 64,
    64, 64, 64, 64, 64, 64, 64, 0, 64, 0, 64, 64, 64, 64, 0, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 4, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 2,
    0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    2, 2, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 64,
    2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 0, 0, 0,
    64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64, 64,
    64, 64, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0,
    2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 0, 0, 64, 0,
    64, 64, 64, 64, 64, 64, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 64, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 64, 64, 64, 64, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 64,
    0, 0, 0, 2, 2, 2, 2, 2, 2, 0, 2, 32, 32, 0, 32, 2,
    2, 0, 2, 2, 64, 64, 4, 64, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 32, 32, 2, 2, 0, 2,
    2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 64, 64, 64, 64, 2, 2, 0, 0,
    0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 0, 2,
    2, 4, 4, 4, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 2, 0, 2, 0, 0,
    2, 2, 2, 2, 2, 2, 0, 2, 64, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 4, 4, 4, 0,
    128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64,
    64, 64, 64, 64, 64, 64, 64, 0, 0, 64, 0, 0, 64, 64, 64, 64,
    64, 64, 64, 64, 0, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64,
    0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64,
    64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64, 64, 64, 64,
    64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0,
    64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64, 64, 64,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 0, 64, 64, 64, 64, 64,
    0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 0, 64, 64, 0, 64, 64, 64, 64, 64, 64,
    0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 0, 0, 0, 0,
    64, 64, 64, 64, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 128, 128, 128, 128, 128,
    128, 128, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 64, 64, 64,
    128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    64, 64, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 0,
    0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 2, 2, 4,
    1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32,
    32, 32, 32, 32, 32, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
    2, 2, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 32, 32, 32,
    32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 64, 0, 0, 64, 64, 0, 0, 64, 64, 64, 64, 0, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 0, 64, 64, 64,
    64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 0, 0, 64, 64, 64,
    64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 0,
    64, 64, 64, 64, 64, 0, 64, 0, 0, 0, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 0, 0, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 0, 64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 128, 128,
    2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2, 2,
    0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 2, 0, 0, 4, 4, 4, 4, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2,
    0, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 64, 64, 64, 64, 64, 64, 64, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 64, 0,
    64, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0,
    64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 0, 64, 64, 0,
    64, 64, 64, 64, 64, 0, 0, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    80, 80, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0,
    0, 64, 64, 0, 64, 0, 0, 64, 0, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 0, 64, 64, 64, 64, 0, 64, 0, 64, 0, 0, 0, 0,
    0, 0, 64, 0, 0, 0, 0, 64, 0, 64, 0, 64, 0, 64, 64, 64,
    0, 64, 64, 0, 64, 0, 0, 64, 0, 64, 0, 64, 0, 64, 0, 64,
    0, 64, 64, 0, 64, 0, 0, 64, 64, 64, 64, 0, 64, 64, 64, 64,
    64, 64, 64, 0, 64, 64, 64, 64, 0, 64, 64, 64, 64, 0, 64, 0,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64,
    0, 64, 64, 64, 0, 64, 64, 64, 64, 64, 0, 64, 64, 64, 64, 64,
    0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0,
};
static const uint32_t mtl__uc_lower_runs[185] = {
    0x3200041, 0x2C000C0, 0xC000D8, 0x22E00100, 0x20400132, 0x20E00139, 0x22C0014A, 0x178,
    0x20400179, 0x181, 0x20200182, 0x186, 0x187, 0x200189, 0x18B, 0x18E,
    0x18F, 0x190, 0x191, 0x193, 0x194, 0x196, 0x197, 0x198,
    0x19C, 0x19D, 0x19F, 0x204001A0, 0x1A6, 0x1A7, 0x1A9, 0x1AC,
    0x1AE, 0x1AF, 0x2001B1, 0x202001B3, 0x1B7, 0x1B8, 0x1BC, 0x1C4,
    0x1C5, 0x1C7, 0x1C8, 0x1CA, 0x210001CB, 0x210001DE, 0x1F1, 0x202001F2,
    0x1F6, 0x1F7, 0x226001F8, 0x220, 0x21000222, 0x23A, 0x23B, 0x23D,
    0x23E, 0x241, 0x243, 0x244, 0x245, 0x20800246, 0x20200370, 0x376,
    0x37F, 0x386, 0x400388, 0x38C, 0x20038E, 0x2000391, 0x10003A3, 0x3CF,
    0x216003D8, 0x3F4, 0x3F7, 0x3F9, 0x3FA, 0x4003FD, 0x1E00400, 0x3E00410,
    0x22000460, 0x2340048A, 0x4C0, 0x20C004C1, 0x25E004D0, 0x4A00531, 0x4A010A0, 0x10C7,
    0x10CD, 0x9E013A0, 0xA013F0, 0x1C89, 0x5401C90, 0x401CBD, 0x29401E00, 0x1E9E,
    0x25E01EA0, 0xE01F08, 0xA01F18, 0xE01F28, 0xE01F38, 0xA01F48, 0x20601F59, 0xE01F68,
    0xE01F88, 0xE01F98, 0xE01FA8, 0x201FB8, 0x201FBA, 0x1FBC, 0x601FC8, 0x1FCC,
    0x201FD8, 0x201FDA, 0x201FE8, 0x201FEA, 0x1FEC, 0x201FF8, 0x201FFA, 0x1FFC,
    0x2126, 0x212A, 0x212B, 0x2132, 0x1E02160, 0x2183, 0x32024B6, 0x5E02C00,
    0x2C60, 0x2C62, 0x2C63, 0x2C64, 0x20402C67, 0x2C6D, 0x2C6E, 0x2C6F,
    0x2C70, 0x2C72, 0x2C75, 0x202C7E, 0x26202C80, 0x20202CEB, 0x2CF2, 0x22C0A640,
    0x21A0A680, 0x20C0A722, 0x23C0A732, 0x2020A779, 0xA77D, 0x2080A77E, 0xA78B, 0xA78D,
    0x2020A790, 0x2120A796, 0xA7AA, 0xA7AB, 0xA7AC, 0xA7AD, 0xA7AE, 0xA7B0,
    0xA7B1, 0xA7B2, 0xA7B3, 0x20E0A7B4, 0xA7C4, 0xA7C5, 0xA7C6, 0x2020A7C7,
    0xA7CB, 0x20E0A7CC, 0xA7DC, 0xA7F5, 0x320FF21, 0x4E10400, 0x46104B0, 0x1410570,
    0x1C1057C, 0xC1058C, 0x210594, 0x6410C80, 0x2A10D50, 0x3E118A0, 0x3E16E40, 0x3016EA0,
    0x421E900,
};
static const int32_t mtl__uc_lower_delta[185] = {
    32, 32, 32, 1, 1, 1, 1, -121, 1, 210, 1, 206,
    1, 205, 1, 79, 202, 203, 1, 205, 207, 211, 209, 1,
    211, 213, 214, 1, 218, 1, 218, 1, 218, 1, 217, 1,
    219, 1, 1, 2, 1, 2, 1, 2, 1, 1, 2, 1,
    -97, -56, 1, -130, 1, 10795, 1, -163, 10792, 1, -195, 69,
    71, 1, 1, 1, 116, 38, 37, 64, 63, 32, 32, 8,
    1, -60, 1, -7, 1, -130, 80, 32, 1, 1, 15, 1,
    1, 48, 7264, 7264, 7264, 38864, 8, 1, -3008, -3008, 1, -7615,
    1, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8,
    -74, -9, -86, -9, -8, -100, -8, -112, -7, -128, -126, -9,
    -7517, -8383, -8262, 28, 16, 1, 26, 48, 1, -10743, -3814, -10727,
    1, -10780, -10749, -10783, -10782, 1, 1, -10815, 1, 1, 1, 1,
    1, 1, 1, 1, -35332, 1, 1, -42280, 1, 1, -42308, -42319,
    -42315, -42305, -42308, -42258, -42282, -42261, 928, 1, -48, -42307, -35384, 1,
    -42343, 1, -42561, 1, 32, 40, 40, 39, 39, 39, 39, 64,
    32, 32, 32, 27, 34,
};
static const uint32_t mtl__uc_lower_multi[1][4] = { /* cp, mapping (0-terminated) */
    {0x130, 0x69, 0x307, 0x0},
};
static const uint8_t mtl__uc_gcb_top[2176] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 10,
    15, 16, 17, 18, 19, 20, 21, 10, 22, 23, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 27, 28, 29,
    30, 31, 32, 33, 27, 28, 29, 30, 31, 32, 33, 34, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 35, 10, 36,
    37, 38, 10, 10, 10, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 50, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 51, 10, 52, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 53, 10,
    10, 10, 10, 10, 10, 10, 10, 54, 55, 56, 10, 10, 10, 57, 10, 10,
    58, 59, 60, 10, 61, 10, 10, 10, 62, 63, 64, 65, 66, 67, 68, 69,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    70, 71, 71, 71, 71, 71, 71, 71, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
};
static const uint16_t mtl__uc_gcb_mid[2304] = {
    0, 1, 2, 2, 2, 2, 2, 3, 1, 1, 4, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    5, 5, 5, 5, 5, 5, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 6, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 7, 5, 8, 9, 2, 2, 2,
    10, 11, 2, 2, 12, 5, 2, 13, 2, 2, 2, 2, 2, 14, 15, 2,
    16, 17, 2, 5, 18, 2, 2, 2, 2, 2, 19, 13, 2, 2, 12, 20,
    2, 21, 22, 2, 2, 23, 2, 2, 2, 24, 2, 2, 25, 5, 26, 5,
    27, 2, 2, 28, 29, 30, 31, 2, 32, 2, 2, 33, 34, 35, 31, 36,
    37, 2, 2, 38, 39, 17, 2, 40, 37, 2, 2, 38, 41, 2, 31, 25,
    32, 2, 2, 42, 34, 43, 31, 2, 44, 2, 2, 45, 46, 35, 2, 2,
    47, 2, 2, 42, 48, 49, 31, 2, 32, 2, 2, 50, 51, 49, 31, 52,
    53, 2, 2, 54, 55, 35, 31, 2, 32, 2, 2, 2, 56, 57, 2, 58,
    2, 2, 2, 59, 60, 2, 2, 2, 2, 2, 2, 61, 62, 2, 2, 2,
    2, 63, 2, 64, 2, 2, 2, 65, 66, 67, 5, 68, 69, 2, 2, 2,
    2, 2, 70, 71, 2, 72, 13, 73, 74, 75, 2, 2, 2, 2, 2, 2,
    76, 76, 76, 76, 76, 76, 77, 77, 77, 77, 78, 79, 79, 79, 79, 79,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 70, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 80, 2, 81, 2, 31, 2, 31, 2, 2, 2, 82, 83, 20, 2, 2,
    84, 2, 2, 2, 2, 2, 2, 2, 49, 2, 85, 2, 2, 2, 2, 2,
    2, 2, 86, 87, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 88, 2, 2, 2, 89, 90, 91, 2, 2, 2, 5, 92, 2, 2, 2,
    93, 2, 2, 94, 95, 2, 12, 96, 97, 2, 98, 2, 2, 2, 99, 53,
    2, 2, 100, 101, 2, 2, 2, 2, 2, 2, 2, 2, 2, 102, 103, 104,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5, 5, 5, 5,
    105, 2, 106, 107, 108, 2, 1, 2, 2, 2, 2, 2, 2, 5, 5, 13,
    2, 2, 109, 108, 2, 2, 2, 2, 2, 110, 111, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 112, 113, 2, 2, 2, 2, 2, 113, 2, 2, 2, 114, 2, 115, 116,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 109, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 112, 117, 118, 2, 2, 119,
    120, 121, 122, 122, 122, 122, 122, 122, 123, 122, 122, 122, 122, 122, 122, 122,
    124, 125, 126, 127, 128, 129, 130, 2, 2, 131, 132, 133, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 134, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    131, 135, 2, 2, 2, 136, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 137, 138,
    2, 2, 2, 2, 2, 2, 2, 137, 2, 2, 2, 2, 2, 2, 5, 5,
    2, 2, 25, 139, 2, 2, 2, 2, 2, 140, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 141, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 137, 142, 2, 143, 2, 2, 2, 2, 2, 138,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    144, 2, 145, 2, 2, 2, 2, 2, 146, 2, 2, 147, 148, 2, 5, 149,
    2, 2, 150, 2, 151, 53, 76, 152, 27, 2, 2, 153, 154, 2, 155, 2,
    2, 2, 156, 157, 158, 2, 2, 159, 2, 2, 2, 160, 17, 2, 161, 162,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 163, 2,
    164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165,
    166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167,
    166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168,
    166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164,
    165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166,
    167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166,
    168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166,
    164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165,
    166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167,
    166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168,
    166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164,
    165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166,
    167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166,
    168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166,
    164, 165, 166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 168, 166, 164, 165,
    166, 167, 166, 168, 166, 164, 165, 166, 167, 166, 169, 77, 170, 79, 79, 171,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 36, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    5, 2, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 143, 2, 2, 2, 2, 2, 172,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 75,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 13, 2,
    2, 2, 2, 2, 2, 2, 2, 173, 2, 2, 2, 2, 2, 2, 2, 2,
    174, 2, 2, 175, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 49, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 176, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 177, 2, 2, 2, 2, 70,
    2, 2, 2, 2, 19, 13, 2, 2, 178, 2, 2, 2, 2, 2, 2, 2,
    179, 2, 2, 180, 181, 2, 2, 182, 97, 2, 2, 183, 184, 2, 2, 2,
    185, 2, 186, 187, 188, 2, 2, 189, 97, 2, 2, 190, 191, 2, 2, 2,
    2, 2, 192, 193, 17, 2, 2, 2, 2, 2, 2, 2, 2, 137, 194, 2,
    53, 2, 2, 54, 195, 35, 196, 187, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 197, 198, 36, 2, 2, 2, 2, 2, 199, 200, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 137, 201, 13, 202, 2, 2,
    2, 2, 2, 203, 13, 2, 2, 2, 2, 2, 204, 205, 2, 2, 2, 2,
    2, 70, 206, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 192, 207, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 208, 209, 2, 2, 2, 2, 2, 2, 2, 2, 210, 211, 2,
    212, 2, 2, 213, 35, 214, 2, 2, 215, 216, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 217, 218, 2, 2, 2, 2, 2, 219, 220, 221, 2, 2, 2, 2,
    2, 2, 2, 222, 223, 2, 2, 2, 224, 225, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 226,
    227, 2, 2, 228, 229, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 1, 230, 231, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 187,
    2, 2, 2, 181, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 137, 232, 233, 233, 234, 185, 2, 2, 2, 2, 235, 146,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 236, 237, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    5, 5, 238, 5, 181, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 239, 240, 241, 2, 242, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 243, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    5, 5, 5, 244, 5, 5, 68, 155, 235, 12, 7, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    245, 246, 247, 2, 2, 2, 2, 2, 137, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 181, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 36, 2, 2, 2, 248, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 248, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 181, 2, 2,
    2, 2, 2, 2, 249, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    250, 2, 114, 2, 2, 2, 251, 252, 253, 254, 250, 122, 122, 122, 255, 256,
    257, 258, 114, 259, 115, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 260,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 261, 262, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 122, 122, 2, 2, 2, 122, 122, 122, 122, 122, 122, 122, 122,
    2, 2, 2, 2, 2, 2, 2, 263, 2, 2, 2, 2, 2, 264, 122, 122,
    251, 2, 2, 2, 265, 266, 2, 2, 265, 2, 267, 122, 122, 122, 122, 122,
    251, 122, 122, 268, 120, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122,
    122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 122, 261,
    1, 1, 5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
static const uint8_t mtl__uc_gcb_data[4304] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 3, 3, 1, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 3, 14, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,
    0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 4,
    0, 4, 4, 0, 4, 4, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    7, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 3, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4,
    4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 7, 0, 4,
    4, 4, 4, 4, 4, 0, 0, 4, 4, 0, 4, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
    0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 0, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 0, 4, 4, 4, 0, 4, 4, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 0, 0, 0, 0,
    7, 7, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4,
    4, 4, 7, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 4, 0, 8, 8,
    8, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 4, 8, 8,
    0, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 4, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 4, 8,
    8, 4, 4, 4, 4, 0, 0, 8, 8, 0, 0, 8, 8, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0,
    0, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 8, 8,
    8, 4, 4, 0, 0, 0, 0, 4, 4, 0, 0, 4, 4, 4, 0, 0,
    4, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    8, 4, 4, 4, 4, 4, 0, 4, 4, 8, 0, 8, 8, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 4, 4,
    0, 0, 0, 0, 0, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8,
    4, 8, 8, 0, 0, 0, 8, 8, 8, 0, 8, 8, 8, 4, 0, 0,
    4, 8, 8, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 8, 8, 8, 8, 0, 4, 4, 4, 0, 4, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 8, 4,
    8, 8, 4, 8, 8, 0, 4, 8, 8, 0, 8, 8, 4, 4, 0, 0,
    0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 4, 8,
    8, 4, 4, 4, 4, 0, 8, 8, 8, 0, 8, 8, 8, 4, 7, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4,
    8, 8, 4, 4, 4, 0, 4, 0, 8, 8, 8, 8, 8, 8, 8, 4,
    0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 4, 0, 8, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 0,
    0, 4, 0, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 4, 0, 4, 0, 4, 0, 0, 0, 0, 8, 8,
    0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8,
    4, 4, 4, 4, 4, 0, 4, 4, 0, 0, 0, 0, 0, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4,
    4, 8, 4, 4, 4, 4, 4, 4, 0, 4, 4, 8, 8, 4, 4, 0,
    0, 0, 0, 0, 0, 0, 8, 8, 4, 4, 0, 0, 0, 0, 4, 4,
    0, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 0, 8, 4, 4, 0, 0, 0, 0, 0, 0, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,
    0, 0, 4, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 4, 4, 8, 4, 4, 4, 4, 4, 4, 4, 8, 8,
    8, 8, 8, 8, 8, 8, 4, 8, 8, 4, 4, 4, 4, 4, 4, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 3, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 8, 8, 8, 8, 4, 4, 8, 8, 8, 0, 0, 0, 0,
    8, 8, 4, 8, 8, 8, 8, 8, 8, 4, 4, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 4, 4, 8, 8, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 8, 4, 8, 4, 4, 4, 4, 4, 4, 4, 0,
    4, 0, 4, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8,
    8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0,
    4, 4, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 8, 4, 8, 8, 8,
    8, 8, 4, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 8, 4, 4, 4, 4, 8, 8, 4, 4, 8, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 8, 4, 4, 8, 8, 8, 4, 8, 4,
    0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4,
    4, 4, 4, 4, 8, 8, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 8, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 4, 0, 0,
    0, 0, 0, 0, 4, 0, 0, 8, 4, 4, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 5, 3, 3,
    0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0,
    0, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 0, 0, 0, 0, 14, 14, 14, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14, 14, 0,
    14, 14, 14, 14, 14, 14, 0, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    14, 14, 14, 14, 14, 14, 0, 0, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 0, 14, 0, 14, 0, 0, 0, 0, 0, 0, 14, 0, 0,
    0, 14, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 14, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 14, 0, 0, 14, 0, 0, 0, 0, 14, 0, 14, 0,
    0, 0, 0, 14, 14, 14, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 14, 14, 14, 14, 14, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 14, 14, 14, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14,
    0, 0, 0, 0, 14, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 0, 0, 0,
    14, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
    4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 14, 0, 14, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4,
    0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0,
    0, 0, 0, 8, 8, 4, 4, 8, 0, 0, 0, 0, 4, 0, 0, 0,
    8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
    8, 8, 8, 8, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
    0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0,
    0, 0, 0, 4, 8, 8, 4, 4, 4, 4, 8, 8, 4, 4, 8, 8,
    8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 8,
    8, 4, 4, 8, 8, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0,
    4, 0, 4, 4, 4, 0, 0, 4, 4, 0, 0, 0, 0, 0, 4, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 4, 4, 8, 8,
    0, 0, 0, 0, 0, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 8, 8, 4, 8, 8, 4, 8, 8, 0, 8, 4, 0, 0,
    12, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
    13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 12, 13, 13, 13,
    13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
    13, 13, 13, 13, 13, 13, 13, 13, 12, 13, 13, 13, 13, 13, 13, 13,
    13, 13, 13, 13, 12, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
    13, 13, 13, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    10, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0, 11, 11, 11, 11, 11,
    11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 0, 0, 0, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    0, 4, 4, 4, 0, 4, 4, 0, 0, 0, 0, 0, 4, 4, 4, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 0, 0, 0, 0, 4,
    0, 0, 0, 0, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0, 0,
    0, 0, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    8, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
    8, 8, 8, 4, 4, 4, 4, 8, 8, 4, 4, 0, 0, 7, 0, 0,
    0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0,
    4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 8, 4, 4, 4,
    4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8,
    8, 0, 7, 7, 0, 0, 0, 0, 0, 4, 4, 4, 4, 0, 8, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 4,
    4, 4, 8, 8, 4, 8, 4, 4, 0, 0, 0, 0, 0, 0, 4, 0,
    8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    4, 8, 8, 8, 8, 0, 0, 8, 8, 0, 0, 8, 8, 8, 0, 0,
    0, 0, 8, 8, 0, 0, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0,
    0, 0, 0, 0, 0, 8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4,
    8, 8, 4, 4, 4, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 8, 8, 4, 4, 4, 4, 4, 4, 8, 4, 8, 8, 4, 8, 4,
    4, 8, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    8, 8, 4, 4, 4, 4, 0, 0, 8, 8, 8, 8, 4, 4, 8, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0,
    8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 4, 8, 4,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 4, 8, 8,
    4, 4, 4, 4, 4, 4, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 4, 4, 4, 8, 4, 4, 4, 4, 4, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 8, 4, 4, 0, 0, 0, 0, 0,
    4, 8, 8, 8, 8, 8, 0, 8, 8, 0, 0, 4, 4, 8, 4, 7,
    8, 7, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 8, 8, 8, 4, 4, 4, 4, 0, 0, 4, 4, 8, 8, 8, 8,
    4, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    0, 0, 0, 4, 4, 4, 4, 4, 4, 8, 7, 4, 4, 4, 4, 0,
    0, 4, 4, 4, 4, 4, 4, 8, 8, 4, 4, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 8, 4, 4, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8,
    4, 4, 4, 4, 4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 8, 4,
    0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 0, 8, 4, 4, 4, 4, 4, 4,
    4, 8, 4, 4, 8, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 4, 4, 4, 4, 4, 4, 0, 0, 0, 4, 0, 4, 4, 0, 4,
    4, 4, 4, 4, 4, 4, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 0,
    4, 4, 0, 8, 8, 4, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 4, 4, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 8, 8, 4, 4, 4, 4, 4, 0, 0, 0, 8, 8,
    4, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 4,
    0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0,
    3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0,
    0, 0, 0, 0, 0, 4, 8, 4, 4, 4, 0, 0, 0, 8, 4, 4,
    4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4,
    4, 4, 4, 0, 0, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 0, 0,
    0, 0, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 4, 4, 4, 4, 4,
    4, 4, 0, 4, 4, 0, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4,
    0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14, 14,
    14, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0,
    0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 0, 0, 0, 0, 0,
    14, 14, 14, 14, 14, 14, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0,
    0, 0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 0, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 4, 4, 4, 4, 4,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 0, 0,
    0, 0, 0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    0, 0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 14, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14, 14, 14, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 0, 14, 14, 14, 14,
};
static const uint32_t mtl__uc_nfd_index[2061] = {
    0x300000, 0x304002, 0x308004, 0x30C006, 0x310008, 0x31400A, 0x31C00C, 0x32000E,
    0x324010, 0x328012, 0x32C014, 0x330016, 0x334018, 0x33801A, 0x33C01C, 0x34401E,
    0x348020, 0x34C022, 0x350024, 0x354026, 0x358028, 0x36402A, 0x36802C, 0x36C02E,
    0x370030, 0x374032, 0x380034, 0x384036, 0x388038, 0x38C03A, 0x39003C, 0x39403E,
    0x39C040, 0x3A0042, 0x3A4044, 0x3A8046, 0x3AC048, 0x3B004A, 0x3B404C, 0x3B804E,
    0x3BC050, 0x3C4052, 0x3C8054, 0x3CC056, 0x3D0058, 0x3D405A, 0x3D805C, 0x3E405E,
    0x3E8060, 0x3EC062, 0x3F0064, 0x3F4066, 0x3FC068, 0x40006A, 0x40406C, 0x40806E,
    0x40C070, 0x410072, 0x414074, 0x418076, 0x41C078, 0x42007A, 0x42407C, 0x42807E,
    0x42C080, 0x430082, 0x434084, 0x438086, 0x43C088, 0x44808A, 0x44C08C, 0x45008E,
    0x454090, 0x458092, 0x45C094, 0x460096, 0x464098, 0x46809A, 0x46C09C, 0x47009E,
    0x4740A0, 0x4780A2, 0x47C0A4, 0x4800A6, 0x4840A8, 0x4880AA, 0x48C0AC, 0x4900AE,
    0x4940B0, 0x4A00B2, 0x4A40B4, 0x4A80B6, 0x4AC0B8, 0x4B00BA, 0x4B40BC, 0x4B80BE,
    0x4BC0C0, 0x4C00C2, 0x4D00C4, 0x4D40C6, 0x4D80C8, 0x4DC0CA, 0x4E40CC, 0x4E80CE,
    0x4EC0D0, 0x4F00D2, 0x4F40D4, 0x4F80D6, 0x50C0D8, 0x5100DA, 0x5140DC, 0x5180DE,
    0x51C0E0, 0x5200E2, 0x5300E4, 0x5340E6, 0x5380E8, 0x53C0EA, 0x5400EC, 0x5440EE,
    0x5500F0, 0x5540F2, 0x5580F4, 0x55C0F6, 0x5600F8, 0x5640FA, 0x5680FC, 0x56C0FE,
    0x570100, 0x574102, 0x578104, 0x57C106, 0x580108, 0x58410A, 0x58810C, 0x58C10E,
    0x590110, 0x594112, 0x5A0114, 0x5A4116, 0x5A8118, 0x5AC11A, 0x5B011C, 0x5B411E,
    0x5B8120, 0x5BC122, 0x5C0124, 0x5C4126, 0x5C8128, 0x5CC12A, 0x5D012C, 0x5D412E,
    0x5D8130, 0x5DC132, 0x5E0134, 0x5E4136, 0x5E8138, 0x5EC13A, 0x5F013C, 0x5F413E,
    0x5F8140, 0x680142, 0x684144, 0x6BC146, 0x6C0148, 0x73414A, 0x73814C, 0x73C14E,
    0x740150, 0x744152, 0x748154, 0x74C156, 0x750158, 0x75415A, 0x75815D, 0x75C160,
    0x760163, 0x764166, 0x768169, 0x76C16C, 0x77016F, 0x778172, 0x77C175, 0x780178,
    0x78417B, 0x78817E, 0x78C180, 0x798182, 0x79C184, 0x7A0186, 0x7A4188, 0x7A818A,
    0x7AC18C, 0x7B018E, 0x7B4191, 0x7B8194, 0x7BC196, 0x7C0198, 0x7D019A, 0x7D419C,
    0x7E019E, 0x7E41A0, 0x7E81A2, 0x7EC1A5, 0x7F01A8, 0x7F41AA, 0x7F81AC, 0x7FC1AE,
    0x8001B0, 0x8041B2, 0x8081B4, 0x80C1B6, 0x8101B8, 0x8141BA, 0x8181BC, 0x81C1BE,
    0x8201C0, 0x8241C2, 0x8281C4, 0x82C1C6, 0x8301C8, 0x8341CA, 0x8381CC, 0x83C1CE,
    0x8401D0, 0x8441D2, 0x8481D4, 0x84C1D6, 0x8501D8, 0x8541DA, 0x8581DC, 0x85C1DE,
    0x8601E0, 0x8641E2, 0x8681E4, 0x86C1E6, 0x8781E8, 0x87C1EA, 0x8981EC, 0x89C1EE,
    0x8A01F0, 0x8A41F2, 0x8A81F4, 0x8AC1F7, 0x8B01FA, 0x8B41FD, 0x8B8200, 0x8BC202,
    0x8C0204, 0x8C4207, 0x8C820A, 0x8CC20C, 0xD0020E, 0xD0420F, 0xD0C210, 0xD10211,
    0xDD0213, 0xDF8214, 0xE14215, 0xE18217, 0xE1C219, 0xE2021A, 0xE2421C, 0xE2821E,
    0xE30220, 0xE38222, 0xE3C224, 0xE40226, 0xEA8229, 0xEAC22B, 0xEB022D, 0xEB422F,
    0xEB8231, 0xEBC233, 0xEC0235, 0xF28238, 0xF2C23A, 0xF3023C, 0xF3423E, 0xF38240,
    0xF4C242, 0xF50244, 0x1000246, 0x1004248, 0x100C24A, 0x101C24C, 0x103024E, 0x1034250,
    0x1038252, 0x1064254, 0x10E4256, 0x1140258, 0x114425A, 0x114C25C, 0x115C25E, 0x1170260,
    0x1174262, 0x1178264, 0x11D8266, 0x11DC268, 0x130426A, 0x130826C, 0x134026E, 0x1344270,
    0x1348272, 0x134C274, 0x1358276, 0x135C278, 0x136827A, 0x136C27C, 0x137027E, 0x1374280,
    0x1378282, 0x137C284, 0x1388286, 0x138C288, 0x139028A, 0x139428C, 0x139828E, 0x139C290,
    0x13A8292, 0x13AC294, 0x13B0296, 0x13B4298, 0x13B829A, 0x13BC29C, 0x13C029E, 0x13C42A0,
    0x13C82A2, 0x13CC2A4, 0x13D02A6, 0x13D42A8, 0x13E02AA, 0x13E42AC, 0x18882AE, 0x188C2B0,
    0x18902B2, 0x18942B4, 0x18982B6, 0x1B002B8, 0x1B082BA, 0x1B4C2BC, 0x24A42BE, 0x24C42C0,
    0x24D02C2, 0x25602C4, 0x25642C6, 0x25682C8, 0x256C2CA, 0x25702CC, 0x25742CE, 0x25782D0,
    0x257C2D2, 0x272C2D4, 0x27302D6, 0x27702D8, 0x27742DA, 0x277C2DC, 0x28CC2DE, 0x28D82E0,
    0x29642E2, 0x29682E4, 0x296C2E6, 0x29782E8, 0x2D202EA, 0x2D2C2EC, 0x2D302EE, 0x2D702F0,
    0x2D742F2, 0x2E502F4, 0x2F282F6, 0x2F2C2F8, 0x2F302FA, 0x31202FC, 0x33002FE, 0x331C300,
    0x3320302, 0x3328304, 0x332C306, 0x3528309, 0x352C30B, 0x353030D, 0x376830F, 0x3770311,
    0x3774313, 0x3778316, 0x3D0C318, 0x3D3431A, 0x3D4831C, 0x3D5C31E, 0x3D70320, 0x3DA4322,
    0x3DCC324, 0x3DD4326, 0x3DD8328, 0x3DE032A, 0x3E0432C, 0x3E4C32E, 0x3E74330, 0x3E88332,
    0x3E9C334, 0x3EB0336, 0x3EE4338, 0x409833A, 0x6C1833C, 0x6C2033E, 0x6C28340, 0x6C30342,
    0x6C38344, 0x6C48346, 0x6CEC348, 0x6CF434A, 0x6D0034C, 0x6D0434E, 0x6D0C350, 0x7800352,
    0x7804354, 0x7808356, 0x780C358, 0x781035A, 0x781435C, 0x781835E, 0x781C360, 0x7820362,
    0x7824365, 0x7828368, 0x782C36A, 0x783036C, 0x783436E, 0x7838370, 0x783C372, 0x7840374,
    0x7844376, 0x7848378, 0x784C37A, 0x785037C, 0x785437F, 0x7858382, 0x785C385, 0x7860388,
    0x786438A, 0x786838C, 0x786C38E, 0x7870390, 0x7874393, 0x7878396, 0x787C398, 0x788039A,
    0x788439C, 0x788839E, 0x788C3A0, 0x78903A2, 0x78943A4, 0x78983A6, 0x789C3A8, 0x78A03AA,
    0x78A43AC, 0x78A83AE, 0x78AC3B0, 0x78B03B2, 0x78B43B4, 0x78B83B6, 0x78BC3B9, 0x78C03BC,
    0x78C43BE, 0x78C83C0, 0x78CC3C2, 0x78D03C4, 0x78D43C6, 0x78D83C8, 0x78DC3CA, 0x78E03CC,
    0x78E43CF, 0x78E83D2, 0x78EC3D4, 0x78F03D6, 0x78F43D8, 0x78F83DA, 0x78FC3DC, 0x79003DE,
    0x79043E0, 0x79083E2, 0x790C3E4, 0x79103E6, 0x79143E8, 0x79183EA, 0x791C3EC, 0x79203EE,
    0x79243F0, 0x79283F2, 0x792C3F4, 0x79303F6, 0x79343F9, 0x79383FC, 0x793C3FF, 0x7940402,
    0x7944405, 0x7948408, 0x794C40B, 0x795040E, 0x7954410, 0x7958412, 0x795C414, 0x7960416,
    0x7964418, 0x796841A, 0x796C41C, 0x797041E, 0x7974421, 0x7978424, 0x797C426, 0x7980428,
    0x798442A, 0x798842C, 0x798C42E, 0x7990430, 0x7994433, 0x7998436, 0x799C439, 0x79A043C,
    0x79A443F, 0x79A8442, 0x79AC444, 0x79B0446, 0x79B4448, 0x79B844A, 0x79BC44C, 0x79C044E,
    0x79C4450, 0x79C8452, 0x79CC454, 0x79D0456, 0x79D4458, 0x79D845A, 0x79DC45C, 0x79E045E,
    0x79E4461, 0x79E8464, 0x79EC467, 0x79F046A, 0x79F446C, 0x79F846E, 0x79FC470, 0x7A00472,
    0x7A04474, 0x7A08476, 0x7A0C478, 0x7A1047A, 0x7A1447C, 0x7A1847E, 0x7A1C480, 0x7A20482,
    0x7A24484, 0x7A28486, 0x7A2C488, 0x7A3048A, 0x7A3448C, 0x7A3848E, 0x7A3C490, 0x7A40492,
    0x7A44494, 0x7A48496, 0x7A4C498, 0x7A5049A, 0x7A5449C, 0x7A5849E, 0x7A5C4A0, 0x7A604A2,
    0x7A644A4, 0x7A6C4A6, 0x7A804A8, 0x7A844AA, 0x7A884AC, 0x7A8C4AE, 0x7A904B0, 0x7A944B3,
    0x7A984B6, 0x7A9C4B9, 0x7AA04BC, 0x7AA44BF, 0x7AA84C2, 0x7AAC4C5, 0x7AB04C8, 0x7AB44CB,
    0x7AB84CE, 0x7ABC4D1, 0x7AC04D4, 0x7AC44D7, 0x7AC84DA, 0x7ACC4DD, 0x7AD04E0, 0x7AD44E3,
    0x7AD84E6, 0x7ADC4E9, 0x7AE04EC, 0x7AE44EE, 0x7AE84F0, 0x7AEC4F2, 0x7AF04F4, 0x7AF44F6,
    0x7AF84F8, 0x7AFC4FB, 0x7B004FE, 0x7B04501, 0x7B08504, 0x7B0C507, 0x7B1050A, 0x7B1450D,
    0x7B18510, 0x7B1C513, 0x7B20516, 0x7B24518, 0x7B2851A, 0x7B2C51C, 0x7B3051E, 0x7B34520,
    0x7B38522, 0x7B3C524, 0x7B40526, 0x7B44529, 0x7B4852C, 0x7B4C52F, 0x7B50532, 0x7B54535,
    0x7B58538, 0x7B5C53B, 0x7B6053E, 0x7B64541, 0x7B68544, 0x7B6C547, 0x7B7054A, 0x7B7454D,
    0x7B78550, 0x7B7C553, 0x7B80556, 0x7B84559, 0x7B8855C, 0x7B8C55F, 0x7B90562, 0x7B94564,
    0x7B98566, 0x7B9C568, 0x7BA056A, 0x7BA456D, 0x7BA8570, 0x7BAC573, 0x7BB0576, 0x7BB4579,
    0x7BB857C, 0x7BBC57F, 0x7BC0582, 0x7BC4585, 0x7BC8588, 0x7BCC58A, 0x7BD058C, 0x7BD458E,
    0x7BD8590, 0x7BDC592, 0x7BE0594, 0x7BE4596, 0x7C00598, 0x7C0459A, 0x7C0859C, 0x7C0C59F,
    0x7C105A2, 0x7C145A5, 0x7C185A8, 0x7C1C5AB, 0x7C205AE, 0x7C245B0, 0x7C285B2, 0x7C2C5B5,
    0x7C305B8, 0x7C345BB, 0x7C385BE, 0x7C3C5C1, 0x7C405C4, 0x7C445C6, 0x7C485C8, 0x7C4C5CB,
    0x7C505CE, 0x7C545D1, 0x7C605D4, 0x7C645D6, 0x7C685D8, 0x7C6C5DB, 0x7C705DE, 0x7C745E1,
    0x7C805E4, 0x7C845E6, 0x7C885E8, 0x7C8C5EB, 0x7C905EE, 0x7C945F1, 0x7C985F4, 0x7C9C5F7,
    0x7CA05FA, 0x7CA45FC, 0x7CA85FE, 0x7CAC601, 0x7CB0604, 0x7CB4607, 0x7CB860A, 0x7CBC60D,
    0x7CC0610, 0x7CC4612, 0x7CC8614, 0x7CCC617, 0x7CD061A, 0x7CD461D, 0x7CD8620, 0x7CDC623,
    0x7CE0626, 0x7CE4628, 0x7CE862A, 0x7CEC62D, 0x7CF0630, 0x7CF4633, 0x7CF8636, 0x7CFC639,
    0x7D0063C, 0x7D0463E, 0x7D08640, 0x7D0C643, 0x7D10646, 0x7D14649, 0x7D2064C, 0x7D2464E,
    0x7D28650, 0x7D2C653, 0x7D30656, 0x7D34659, 0x7D4065C, 0x7D4465E, 0x7D48660, 0x7D4C663,
    0x7D50666, 0x7D54669, 0x7D5866C, 0x7D5C66F, 0x7D64672, 0x7D6C674, 0x7D74677, 0x7D7C67A,
    0x7D8067D, 0x7D8467F, 0x7D88681, 0x7D8C684, 0x7D90687, 0x7D9468A, 0x7D9868D, 0x7D9C690,
    0x7DA0693, 0x7DA4695, 0x7DA8697, 0x7DAC69A, 0x7DB069D, 0x7DB46A0, 0x7DB86A3, 0x7DBC6A6,
    0x7DC06A9, 0x7DC46AB, 0x7DC86AD, 0x7DCC6AF, 0x7DD06B1, 0x7DD46B3, 0x7DD86B5, 0x7DDC6B7,
    0x7DE06B9, 0x7DE46BB, 0x7DE86BD, 0x7DEC6BF, 0x7DF06C1, 0x7DF46C3, 0x7E006C5, 0x7E046C8,
    0x7E086CB, 0x7E0C6CF, 0x7E106D3, 0x7E146D7, 0x7E186DB, 0x7E1C6DF, 0x7E206E3, 0x7E246E6,
    0x7E286E9, 0x7E2C6ED, 0x7E306F1, 0x7E346F5, 0x7E386F9, 0x7E3C6FD, 0x7E40701, 0x7E44704,
    0x7E48707, 0x7E4C70B, 0x7E5070F, 0x7E54713, 0x7E58717, 0x7E5C71B, 0x7E6071F, 0x7E64722,
    0x7E68725, 0x7E6C729, 0x7E7072D, 0x7E74731, 0x7E78735, 0x7E7C739, 0x7E8073D, 0x7E84740,
    0x7E88743, 0x7E8C747, 0x7E9074B, 0x7E9474F, 0x7E98753, 0x7E9C757, 0x7EA075B, 0x7EA475E,
    0x7EA8761, 0x7EAC765, 0x7EB0769, 0x7EB476D, 0x7EB8771, 0x7EBC775, 0x7EC0779, 0x7EC477B,
    0x7EC877D, 0x7ECC780, 0x7ED0782, 0x7ED8785, 0x7EDC787, 0x7EE078A, 0x7EE478C, 0x7EE878E,
    0x7EEC790, 0x7EF0792, 0x7EF8794, 0x7F04795, 0x7F08797, 0x7F0C79A, 0x7F1079C, 0x7F1879F,
    0x7F1C7A1, 0x7F207A4, 0x7F247A6, 0x7F287A8, 0x7F2C7AA, 0x7F307AC, 0x7F347AE, 0x7F387B0,
    0x7F3C7B2, 0x7F407B4, 0x7F447B6, 0x7F487B8, 0x7F4C7BB, 0x7F587BE, 0x7F5C7C0, 0x7F607C3,
    0x7F647C5, 0x7F687C7, 0x7F6C7C9, 0x7F747CB, 0x7F787CD, 0x7F7C7CF, 0x7F807D1, 0x7F847D3,
    0x7F887D5, 0x7F8C7D8, 0x7F907DB, 0x7F947DD, 0x7F987DF, 0x7F9C7E1, 0x7FA07E4, 0x7FA47E6,
    0x7FA87E8, 0x7FAC7EA, 0x7FB07EC, 0x7FB47EE, 0x7FB87F0, 0x7FBC7F2, 0x7FC87F3, 0x7FCC7F6,
    0x7FD07F8, 0x7FD87FB, 0x7FDC7FD, 0x7FE0800, 0x7FE4802, 0x7FE8804, 0x7FEC806, 0x7FF0808,
    0x7FF480A, 0x800080B, 0x800480C, 0x849880D, 0x84A880E, 0x84AC80F, 0x8668811, 0x866C813,
    0x86B8815, 0x8734817, 0x8738819, 0x873C81B, 0x881081D, 0x882481F, 0x8830821, 0x8890823,
    0x8898825, 0x8904827, 0x8910829, 0x891C82B, 0x892482D, 0x898082F, 0x8988831, 0x89B4833,
    0x89B8835, 0x89BC837, 0x89C0839, 0x89C483B, 0x89D083D, 0x89D483F, 0x89E0841, 0x89E4843,
    0x8A00845, 0x8A04847, 0x8A10849, 0x8A1484B, 0x8A2084D, 0x8A2484F, 0x8AB0851, 0x8AB4853,
    0x8AB8855, 0x8ABC857, 0x8B80859, 0x8B8485B, 0x8B8885D, 0x8B8C85F, 0x8BA8861, 0x8BAC863,
    0x8BB0865, 0x8BB4867, 0x8CA4869, 0x8CA886A, 0xAB7086B, 0xC13086D, 0xC13886F, 0xC140871,
    0xC148873, 0xC150875, 0xC158877, 0xC160879, 0xC16887B, 0xC17087D, 0xC17887F, 0xC180881,
    0xC188883, 0xC194885, 0xC19C887, 0xC1A4889, 0xC1C088B, 0xC1C488D, 0xC1CC88F, 0xC1D0891,
    0xC1D8893, 0xC1DC895, 0xC1E4897, 0xC1E8899, 0xC1F089B, 0xC1F489D, 0xC25089F, 0xC2788A1,
    0xC2B08A3, 0xC2B88A5, 0xC2C08A7, 0xC2C88A9, 0xC2D08AB, 0xC2D88AD, 0xC2E08AF, 0xC2E88B1,
    0xC2F08B3, 0xC2F88B5, 0xC3008B7, 0xC3088B9, 0xC3148BB, 0xC31C8BD, 0xC3248BF, 0xC3408C1,
    0xC3448C3, 0xC34C8C5, 0xC3508C7, 0xC3588C9, 0xC35C8CB, 0xC3648CD, 0xC3688CF, 0xC3708D1,
    0xC3748D3, 0xC3D08D5, 0xC3DC8D7, 0xC3E08D9, 0xC3E48DB, 0xC3E88DD, 0xC3F88DF, 0x3E4008E1,
    0x3E4048E2, 0x3E4088E3, 0x3E40C8E4, 0x3E4108E5, 0x3E4148E6, 0x3E4188E7, 0x3E41C8E8, 0x3E4208E9,
    0x3E4248EA, 0x3E4288EB, 0x3E42C8EC, 0x3E4308ED, 0x3E4348EE, 0x3E4388EF, 0x3E43C8F0, 0x3E4408F1,
    0x3E4448F2, 0x3E4488F3, 0x3E44C8F4, 0x3E4508F5, 0x3E4548F6, 0x3E4588F7, 0x3E45C8F8, 0x3E4608F9,
    0x3E4648FA, 0x3E4688FB, 0x3E46C8FC, 0x3E4708FD, 0x3E4748FE, 0x3E4788FF, 0x3E47C900, 0x3E480901,
    0x3E484902, 0x3E488903, 0x3E48C904, 0x3E490905, 0x3E494906, 0x3E498907, 0x3E49C908, 0x3E4A0909,
    0x3E4A490A, 0x3E4A890B, 0x3E4AC90C, 0x3E4B090D, 0x3E4B490E, 0x3E4B890F, 0x3E4BC910, 0x3E4C0911,
    0x3E4C4912, 0x3E4C8913, 0x3E4CC914, 0x3E4D0915, 0x3E4D4916, 0x3E4D8917, 0x3E4DC918, 0x3E4E0919,
    0x3E4E491A, 0x3E4E891B, 0x3E4EC91C, 0x3E4F091D, 0x3E4F491E, 0x3E4F891F, 0x3E4FC920, 0x3E500921,
    0x3E504922, 0x3E508923, 0x3E50C924, 0x3E510925, 0x3E514926, 0x3E518927, 0x3E51C928, 0x3E520929,
    0x3E52492A, 0x3E52892B, 0x3E52C92C, 0x3E53092D, 0x3E53492E, 0x3E53892F, 0x3E53C930, 0x3E540931,
    0x3E544932, 0x3E548933, 0x3E54C934, 0x3E550935, 0x3E554936, 0x3E558937, 0x3E55C938, 0x3E560939,
    0x3E56493A, 0x3E56893B, 0x3E56C93C, 0x3E57093D, 0x3E57493E, 0x3E57893F, 0x3E57C940, 0x3E580941,
    0x3E584942, 0x3E588943, 0x3E58C944, 0x3E590945, 0x3E594946, 0x3E598947, 0x3E59C948, 0x3E5A0949,
    0x3E5A494A, 0x3E5A894B, 0x3E5AC94C, 0x3E5B094D, 0x3E5B494E, 0x3E5B894F, 0x3E5BC950, 0x3E5C0951,
    0x3E5C4952, 0x3E5C8953, 0x3E5CC954, 0x3E5D0955, 0x3E5D4956, 0x3E5D8957, 0x3E5DC958, 0x3E5E0959,
    0x3E5E495A, 0x3E5E895B, 0x3E5EC95C, 0x3E5F095D, 0x3E5F495E, 0x3E5F895F, 0x3E5FC960, 0x3E600961,
    0x3E604962, 0x3E608963, 0x3E60C964, 0x3E610965, 0x3E614966, 0x3E618967, 0x3E61C968, 0x3E620969,
    0x3E62496A, 0x3E62896B, 0x3E62C96C, 0x3E63096D, 0x3E63496E, 0x3E63896F, 0x3E63C970, 0x3E640971,
    0x3E644972, 0x3E648973, 0x3E64C974, 0x3E650975, 0x3E654976, 0x3E658977, 0x3E65C978, 0x3E660979,
    0x3E66497A, 0x3E66897B, 0x3E66C97C, 0x3E67097D, 0x3E67497E, 0x3E67897F, 0x3E67C980, 0x3E680981,
    0x3E684982, 0x3E688983, 0x3E68C984, 0x3E690985, 0x3E694986, 0x3E698987, 0x3E69C988, 0x3E6A0989,
    0x3E6A498A, 0x3E6A898B, 0x3E6AC98C, 0x3E6B098D, 0x3E6B498E, 0x3E6B898F, 0x3E6BC990, 0x3E6C0991,
    0x3E6C4992, 0x3E6C8993, 0x3E6CC994, 0x3E6D0995, 0x3E6D4996, 0x3E6D8997, 0x3E6DC998, 0x3E6E0999,
    0x3E6E499A, 0x3E6E899B, 0x3E6EC99C, 0x3E6F099D, 0x3E6F499E, 0x3E6F899F, 0x3E6FC9A0, 0x3E7009A1,
    0x3E7049A2, 0x3E7089A3, 0x3E70C9A4, 0x3E7109A5, 0x3E7149A6, 0x3E7189A7, 0x3E71C9A8, 0x3E7209A9,
    0x3E7249AA, 0x3E7289AB, 0x3E72C9AC, 0x3E7309AD, 0x3E7349AE, 0x3E7389AF, 0x3E73C9B0, 0x3E7409B1,
    0x3E7449B2, 0x3E7489B3, 0x3E74C9B4, 0x3E7509B5, 0x3E7549B6, 0x3E7589B7, 0x3E75C9B8, 0x3E7609B9,
    0x3E7649BA, 0x3E7689BB, 0x3E76C9BC, 0x3E7709BD, 0x3E7749BE, 0x3E7789BF, 0x3E77C9C0, 0x3E7809C1,
    0x3E7849C2, 0x3E7889C3, 0x3E78C9C4, 0x3E7909C5, 0x3E7949C6, 0x3E7989C7, 0x3E79C9C8, 0x3E7A09C9,
    0x3E7A49CA, 0x3E7A89CB, 0x3E7AC9CC, 0x3E7B09CD, 0x3E7B49CE, 0x3E7B89CF, 0x3E7BC9D0, 0x3E7C09D1,
    0x3E7C49D2, 0x3E7C89D3, 0x3E7CC9D4, 0x3E7D09D5, 0x3E7D49D6, 0x3E7D89D7, 0x3E7DC9D8, 0x3E7E09D9,
    0x3E7E49DA, 0x3E7E89DB, 0x3E7EC9DC, 0x3E7F09DD, 0x3E7F49DE, 0x3E7F89DF, 0x3E7FC9E0, 0x3E8009E1,
    0x3E8049E2, 0x3E8089E3, 0x3E80C9E4, 0x3E8109E5, 0x3E8149E6, 0x3E8189E7, 0x3E81C9E8, 0x3E8209E9,
    0x3E8249EA, 0x3E8289EB, 0x3E82C9EC, 0x3E8309ED, 0x3E8349EE, 0x3E8409EF, 0x3E8489F0, 0x3E8549F1,
    0x3E8589F2, 0x3E85C9F3, 0x3E8609F4, 0x3E8649F5, 0x3E8689F6, 0x3E86C9F7, 0x3E8709F8, 0x3E8749F9,
    0x3E8789FA, 0x3E8809FB, 0x3E8889FC, 0x3E8949FD, 0x3E8989FE, 0x3E8A89FF, 0x3E8ACA00, 0x3E8B0A01,
    0x3E8B4A02, 0x3E8B8A03, 0x3E8BCA04, 0x3E8C0A05, 0x3E8C4A06, 0x3E8C8A07, 0x3E8CCA08, 0x3E8D0A09,
    0x3E8D4A0A, 0x3E8D8A0B, 0x3E8DCA0C, 0x3E8E0A0D, 0x3E8E4A0E, 0x3E8E8A0F, 0x3E8ECA10, 0x3E8F0A11,
    0x3E8F4A12, 0x3E8F8A13, 0x3E8FCA14, 0x3E900A15, 0x3E904A16, 0x3E908A17, 0x3E90CA18, 0x3E910A19,
    0x3E914A1A, 0x3E918A1B, 0x3E91CA1C, 0x3E920A1D, 0x3E924A1E, 0x3E928A1F, 0x3E92CA20, 0x3E930A21,
    0x3E934A22, 0x3E938A23, 0x3E93CA24, 0x3E940A25, 0x3E944A26, 0x3E948A27, 0x3E94CA28, 0x3E950A29,
    0x3E954A2A, 0x3E958A2B, 0x3E95CA2C, 0x3E960A2D, 0x3E964A2E, 0x3E968A2F, 0x3E96CA30, 0x3E970A31,
    0x3E974A32, 0x3E978A33, 0x3E97CA34, 0x3E980A35, 0x3E984A36, 0x3E988A37, 0x3E98CA38, 0x3E990A39,
    0x3E994A3A, 0x3E998A3B, 0x3E99CA3C, 0x3E9A0A3D, 0x3E9A4A3E, 0x3E9A8A3F, 0x3E9ACA40, 0x3E9B0A41,
    0x3E9B4A43, 0x3E9C0A44, 0x3E9C4A45, 0x3E9C8A46, 0x3E9CCA47, 0x3E9D0A48, 0x3E9D4A49, 0x3E9D8A4A,
    0x3E9DCA4B, 0x3E9E0A4C, 0x3E9E4A4D, 0x3E9E8A4E, 0x3E9ECA4F, 0x3E9F0A50, 0x3E9F4A51, 0x3E9F8A52,
    0x3E9FCA53, 0x3EA00A54, 0x3EA04A55, 0x3EA08A56, 0x3EA0CA57, 0x3EA10A58, 0x3EA14A59, 0x3EA18A5A,
    0x3EA1CA5B, 0x3EA20A5C, 0x3EA24A5D, 0x3EA28A5E, 0x3EA2CA5F, 0x3EA30A60, 0x3EA34A61, 0x3EA38A62,
    0x3EA3CA63, 0x3EA40A64, 0x3EA44A65, 0x3EA48A66, 0x3EA4CA67, 0x3EA50A68, 0x3EA54A69, 0x3EA58A6A,
    0x3EA5CA6B, 0x3EA60A6C, 0x3EA64A6D, 0x3EA68A6E, 0x3EA6CA6F, 0x3EA70A70, 0x3EA74A71, 0x3EA78A72,
    0x3EA7CA73, 0x3EA80A74, 0x3EA84A75, 0x3EA88A76, 0x3EA8CA77, 0x3EA90A78, 0x3EA94A79, 0x3EA98A7A,
    0x3EA9CA7B, 0x3EAA0A7C, 0x3EAA4A7D, 0x3EAA8A7E, 0x3EAACA7F, 0x3EAB0A80, 0x3EAB4A81, 0x3EAB8A82,
    0x3EABCA83, 0x3EAC0A84, 0x3EAC4A85, 0x3EAC8A86, 0x3EACCA87, 0x3EAD0A88, 0x3EAD4A89, 0x3EAD8A8A,
    0x3EADCA8B, 0x3EAE0A8C, 0x3EAE4A8D, 0x3EAE8A8E, 0x3EAECA8F, 0x3EAF0A90, 0x3EAF4A91, 0x3EAF8A92,
    0x3EAFCA93, 0x3EB00A94, 0x3EB04A95, 0x3EB08A96, 0x3EB0CA97, 0x3EB10A98, 0x3EB14A99, 0x3EB18A9A,
    0x3EB1CA9B, 0x3EB20A9C, 0x3EB24A9D, 0x3EB28A9E, 0x3EB2CA9F, 0x3EB30AA0, 0x3EB34AA1, 0x3EB38AA2,
    0x3EB3CAA3, 0x3EB40AA5, 0x3EB44AA7, 0x3EB48AA9, 0x3EB4CAAA, 0x3EB50AAB, 0x3EB54AAC, 0x3EB58AAE,
    0x3EB5CAB0, 0x3EB60AB2, 0x3EB64AB3, 0x3EC74AB4, 0x3EC7CAB6, 0x3ECA8AB8, 0x3ECACABA, 0x3ECB0ABC,
    0x3ECB4ABF, 0x3ECB8AC2, 0x3ECBCAC4, 0x3ECC0AC6, 0x3ECC4AC8, 0x3ECC8ACA, 0x3ECCCACC, 0x3ECD0ACE,
    0x3ECD4AD0, 0x3ECD8AD2, 0x3ECE0AD4, 0x3ECE4AD6, 0x3ECE8AD8, 0x3ECECADA, 0x3ECF0ADC, 0x3ECF8ADE,
    0x3ED00AE0, 0x3ED04AE2, 0x3ED0CAE4, 0x3ED10AE6, 0x3ED18AE8, 0x3ED1CAEA, 0x3ED20AEC, 0x3ED24AEE,
    0x3ED28AF0, 0x3ED2CAF2, 0x3ED30AF4, 0x3ED34AF6, 0x3ED38AF8, 0x44268AFA, 0x44270AFE, 0x442ACB02,
    0x444B8B06, 0x444BCB0A, 0x44D2CB0E, 0x44D30B12, 0x452ECB16, 0x452F0B1A, 0x452F8B1E, 0x456E8B22,
    0x456ECB26, 0x74578B2A, 0x7457CB2E, 0x74580B32, 0x74584B38, 0x74588B3E, 0x7458CB44, 0x74590B4A,
    0x746ECB50, 0x746F0B54, 0x746F4B58, 0x746F8B5E, 0x746FCB64, 0x74700B6A, 0xBE000B70, 0xBE004B71,
    0xBE008B72, 0xBE00CB73, 0xBE010B75, 0xBE014B76, 0xBE018B77, 0xBE01CB78, 0xBE020B79, 0xBE024B7A,
    0xBE028B7B, 0xBE02CB7C, 0xBE030B7D, 0xBE034B7E, 0xBE038B80, 0xBE03CB81, 0xBE040B82, 0xBE044B83,
    0xBE048B84, 0xBE04CB86, 0xBE050B87, 0xBE054B88, 0xBE058B89, 0xBE05CB8B, 0xBE060B8C, 0xBE064B8D,
    0xBE068B8E, 0xBE06CB8F, 0xBE070B90, 0xBE074B92, 0xBE078B93, 0xBE07CB94, 0xBE080B95, 0xBE084B96,
    0xBE088B97, 0xBE08CB98, 0xBE090B99, 0xBE094B9A, 0xBE098B9B, 0xBE09CB9C, 0xBE0A0B9D, 0xBE0A4B9E,
    0xBE0A8B9F, 0xBE0ACBA0, 0xBE0B0BA1, 0xBE0B4BA2, 0xBE0B8BA3, 0xBE0BCBA4, 0xBE0C0BA5, 0xBE0C4BA6,
    0xBE0C8BA7, 0xBE0CCBA8, 0xBE0D0BA9, 0xBE0D4BAB, 0xBE0D8BAC, 0xBE0DCBAD, 0xBE0E0BAE, 0xBE0E4BB0,
    0xBE0E8BB1, 0xBE0ECBB2, 0xBE0F0BB3, 0xBE0F4BB4, 0xBE0F8BB5, 0xBE0FCBB6, 0xBE100BB7, 0xBE104BB8,
    0xBE108BB9, 0xBE10CBBA, 0xBE110BBB, 0xBE114BBC, 0xBE118BBD, 0xBE11CBBE, 0xBE120BBF, 0xBE124BC0,
    0xBE128BC1, 0xBE12CBC2, 0xBE130BC3, 0xBE134BC4, 0xBE138BC5, 0xBE13CBC6, 0xBE140BC7, 0xBE144BC8,
    0xBE148BC9, 0xBE14CBCA, 0xBE150BCB, 0xBE154BCC, 0xBE158BCD, 0xBE15CBCE, 0xBE160BCF, 0xBE164BD0,
    0xBE168BD2, 0xBE16CBD3, 0xBE170BD4, 0xBE174BD5, 0xBE178BD6, 0xBE17CBD7, 0xBE180BD8, 0xBE184BDA,
    0xBE188BDC, 0xBE18CBDD, 0xBE190BDE, 0xBE194BDF, 0xBE198BE0, 0xBE19CBE1, 0xBE1A0BE2, 0xBE1A4BE3,
    0xBE1A8BE4, 0xBE1ACBE5, 0xBE1B0BE6, 0xBE1B4BE8, 0xBE1B8BE9, 0xBE1BCBEA, 0xBE1C0BEB, 0xBE1C4BEC,
    0xBE1C8BEE, 0xBE1CCBEF, 0xBE1D0BF0, 0xBE1D4BF1, 0xBE1D8BF2, 0xBE1DCBF3, 0xBE1E0BF4, 0xBE1E4BF5,
    0xBE1E8BF6, 0xBE1ECBF7, 0xBE1F0BF9, 0xBE1F4BFA, 0xBE1F8BFC, 0xBE1FCBFD, 0xBE200BFE, 0xBE204BFF,
    0xBE208C00, 0xBE20CC01, 0xBE210C02, 0xBE214C03, 0xBE218C04, 0xBE21CC05, 0xBE220C06, 0xBE224C07,
    0xBE228C09, 0xBE22CC0A, 0xBE230C0B, 0xBE234C0C, 0xBE238C0D, 0xBE23CC0E, 0xBE240C10, 0xBE244C11,
    0xBE248C13, 0xBE24CC15, 0xBE250C16, 0xBE254C17, 0xBE258C18, 0xBE25CC19, 0xBE260C1B, 0xBE264C1D,
    0xBE268C1E, 0xBE26CC1F, 0xBE270C20, 0xBE274C21, 0xBE278C22, 0xBE27CC23, 0xBE280C24, 0xBE284C25,
    0xBE288C26, 0xBE28CC27, 0xBE290C28, 0xBE294C2A, 0xBE298C2B, 0xBE29CC2C, 0xBE2A0C2D, 0xBE2A4C2E,
    0xBE2A8C2F, 0xBE2ACC30, 0xBE2B0C31, 0xBE2B4C32, 0xBE2B8C33, 0xBE2BCC34, 0xBE2C0C35, 0xBE2C4C36,
    0xBE2C8C37, 0xBE2CCC38, 0xBE2D0C39, 0xBE2D4C3A, 0xBE2D8C3B, 0xBE2DCC3C, 0xBE2E0C3D, 0xBE2E4C3F,
    0xBE2E8C40, 0xBE2ECC41, 0xBE2F0C42, 0xBE2F4C43, 0xBE2F8C44, 0xBE2FCC46, 0xBE300C47, 0xBE304C48,
    0xBE308C49, 0xBE30CC4A, 0xBE310C4B, 0xBE314C4C, 0xBE318C4D, 0xBE31CC4E, 0xBE320C4F, 0xBE324C50,
    0xBE328C51, 0xBE32CC53, 0xBE330C54, 0xBE334C55, 0xBE338C56, 0xBE33CC57, 0xBE340C58, 0xBE344C59,
    0xBE348C5A, 0xBE34CC5B, 0xBE350C5C, 0xBE354C5D, 0xBE358C5E, 0xBE35CC5F, 0xBE360C60, 0xBE364C61,
    0xBE368C62, 0xBE36CC63, 0xBE370C64, 0xBE374C65, 0xBE378C67, 0xBE37CC68, 0xBE380C69, 0xBE384C6A,
    0xBE388C6B, 0xBE38CC6C, 0xBE390C6E, 0xBE394C6F, 0xBE398C70, 0xBE39CC71, 0xBE3A0C72, 0xBE3A4C73,
    0xBE3A8C74, 0xBE3ACC75, 0xBE3B0C76, 0xBE3B4C78, 0xBE3B8C79, 0xBE3BCC7A, 0xBE3C0C7B, 0xBE3C4C7D,
    0xBE3C8C7E, 0xBE3CCC7F, 0xBE3D0C80, 0xBE3D4C81, 0xBE3D8C82, 0xBE3DCC83, 0xBE3E0C85, 0xBE3E4C87,
    0xBE3E8C89, 0xBE3ECC8A, 0xBE3F0C8C, 0xBE3F4C8D, 0xBE3F8C8E, 0xBE3FCC8F, 0xBE400C90, 0xBE404C91,
    0xBE408C92, 0xBE40CC93, 0xBE410C94, 0xBE414C95, 0xBE418C96, 0xBE41CC98, 0xBE420C99, 0xBE424C9A,
    0xBE428C9B, 0xBE42CC9C, 0xBE430C9D, 0xBE434C9E, 0xBE438CA0, 0xBE43CCA1, 0xBE440CA2, 0xBE444CA4,
    0xBE448CA6, 0xBE44CCA7, 0xBE450CA8, 0xBE454CA9, 0xBE458CAA, 0xBE45CCAB, 0xBE460CAC, 0xBE464CAD,
    0xBE468CAE, 0xBE46CCAF, 0xBE470CB1, 0xBE474CB2, 0xBE478CB4, 0xBE47CCB5, 0xBE480CB7, 0xBE484CB8,
    0xBE488CB9, 0xBE48CCBA, 0xBE490CBC, 0xBE494CBD, 0xBE498CBE, 0xBE49CCC0, 0xBE4A0CC2, 0xBE4A4CC3,
    0xBE4A8CC4, 0xBE4ACCC5, 0xBE4B0CC6, 0xBE4B4CC7, 0xBE4B8CC8, 0xBE4BCCC9, 0xBE4C0CCA, 0xBE4C4CCB,
    0xBE4C8CCC, 0xBE4CCCCD, 0xBE4D0CCE, 0xBE4D4CCF, 0xBE4D8CD1, 0xBE4DCCD2, 0xBE4E0CD4, 0xBE4E4CD5,
    0xBE4E8CD7, 0xBE4ECCD8, 0xBE4F0CDA, 0xBE4F4CDC, 0xBE4F8CDE, 0xBE4FCCDF, 0xBE500CE0, 0xBE504CE1,
    0xBE508CE3, 0xBE50CCE5, 0xBE510CE7, 0xBE514CE9, 0xBE518CEA, 0xBE51CCEB, 0xBE520CEC, 0xBE524CED,
    0xBE528CEE, 0xBE52CCEF, 0xBE530CF0, 0xBE534CF1, 0xBE538CF3, 0xBE53CCF4, 0xBE540CF5, 0xBE544CF6,
    0xBE548CF7, 0xBE54CCF9, 0xBE550CFA, 0xBE554CFC, 0xBE558CFE, 0xBE55CCFF, 0xBE560D00, 0xBE564D01,
    0xBE568D02, 0xBE56CD03, 0xBE570D04, 0xBE574D06, 0xBE578D08, 0xBE57CD0A, 0xBE580D0B, 0xBE584D0C,
    0xBE588D0E, 0xBE58CD0F, 0xBE590D10, 0xBE594D11, 0xBE598D13, 0xBE59CD14, 0xBE5A0D15, 0xBE5A4D16,
    0xBE5A8D17, 0xBE5ACD18, 0xBE5B0D1A, 0xBE5B4D1B, 0xBE5B8D1C, 0xBE5BCD1D, 0xBE5C0D1E, 0xBE5C4D1F,
    0xBE5C8D20, 0xBE5CCD22, 0xBE5D0D24, 0xBE5D4D25, 0xBE5D8D27, 0xBE5DCD28, 0xBE5E0D2A, 0xBE5E4D2B,
    0xBE5E8D2C, 0xBE5ECD2D, 0xBE5F0D2F, 0xBE5F4D31, 0xBE5F8D32, 0xBE5FCD34, 0xBE600D35, 0xBE604D37,
    0xBE608D38, 0xBE60CD39, 0xBE610D3A, 0xBE614D3B, 0xBE618D3C, 0xBE61CD3D, 0xBE620D3F, 0xBE624D41,
    0xBE628D43, 0xBE62CD45, 0xBE630D46, 0xBE634D47, 0xBE638D48, 0xBE63CD49, 0xBE640D4A, 0xBE644D4B,
    0xBE648D4C, 0xBE64CD4D, 0xBE650D4E, 0xBE654D4F, 0xBE658D50, 0xBE65CD51, 0xBE660D53, 0xBE664D54,
    0xBE668D55, 0xBE66CD56, 0xBE670D57, 0xBE674D58, 0xBE678D59, 0xBE67CD5A, 0xBE680D5B, 0xBE684D5C,
    0xBE688D5D, 0xBE68CD5E, 0xBE690D5F, 0xBE694D61, 0xBE698D63, 0xBE69CD65, 0xBE6A0D66, 0xBE6A4D67,
    0xBE6A8D68, 0xBE6ACD69, 0xBE6B0D6B, 0xBE6B4D6C, 0xBE6B8D6E, 0xBE6BCD6F, 0xBE6C0D70, 0xBE6C4D72,
    0xBE6C8D74, 0xBE6CCD75, 0xBE6D0D76, 0xBE6D4D77, 0xBE6D8D78, 0xBE6DCD79, 0xBE6E0D7A, 0xBE6E4D7B,
    0xBE6E8D7C, 0xBE6ECD7D, 0xBE6F0D7E, 0xBE6F4D7F, 0xBE6F8D80, 0xBE6FCD81, 0xBE700D82, 0xBE704D83,
    0xBE708D84, 0xBE70CD85, 0xBE710D86, 0xBE714D87, 0xBE718D89, 0xBE71CD8A, 0xBE720D8B, 0xBE724D8C,
    0xBE728D8D, 0xBE72CD8E, 0xBE730D90, 0xBE734D92, 0xBE738D93, 0xBE73CD94, 0xBE740D95, 0xBE744D96,
    0xBE748D97, 0xBE74CD98, 0xBE750D9A, 0xBE754D9B, 0xBE758D9C, 0xBE75CD9D, 0xBE760D9E, 0xBE764DA0,
    0xBE768DA2, 0xBE76CDA3, 0xBE770DA4, 0xBE774DA5, 0xBE778DA7, 0xBE77CDA8, 0xBE780DA9, 0xBE784DAB,
    0xBE788DAD, 0xBE78CDAE, 0xBE790DAF, 0xBE794DB0, 0xBE798DB2, 0xBE79CDB3, 0xBE7A0DB4, 0xBE7A4DB5,
    0xBE7A8DB6, 0xBE7ACDB7, 0xBE7B0DB8, 0xBE7B4DB9, 0xBE7B8DBB, 0xBE7BCDBC, 0xBE7C0DBD, 0xBE7C4DBE,
    0xBE7C8DC0, 0xBE7CCDC1, 0xBE7D0DC2, 0xBE7D4DC3, 0xBE7D8DC4, 0xBE7DCDC6, 0xBE7E0DC8, 0xBE7E4DC9,
    0xBE7E8DCA, 0xBE7ECDCB, 0xBE7F0DCD, 0xBE7F4DCE, 0xBE7F8DD0, 0xBE7FCDD1, 0xBE800DD2, 0xBE804DD3,
    0xBE808DD5, 0xBE80CDD6, 0xBE810DD7, 0xBE814DD8, 0xBE818DD9, 0xBE81CDDA, 0xBE820DDB, 0xBE824DDC,
    0xBE828DDE, 0xBE82CDDF, 0xBE830DE0, 0xBE834DE1, 0xBE838DE2, 0xBE83CDE3, 0xBE840DE4, 0xBE844DE6,
    0xBE848DE7, 0xBE84CDE9, 0xBE850DEB, 0xBE854DED, 0xBE858DEE, 0xBE85CDEF, 0xBE860DF0, 0xBE864DF1,
    0xBE868DF2, 0xBE86CDF3, 0xBE870DF4, 0xBE874DF5, 0xFFFFCDF7,
};
static const uint16_t mtl__uc_nfd_pool[3575] = {
    0x41, 0x300, 0x41, 0x301, 0x41, 0x302, 0x41, 0x303, 0x41, 0x308, 0x41, 0x30A,
    0x43, 0x327, 0x45, 0x300, 0x45, 0x301, 0x45, 0x302, 0x45, 0x308, 0x49, 0x300,
    0x49, 0x301, 0x49, 0x302, 0x49, 0x308, 0x4E, 0x303, 0x4F, 0x300, 0x4F, 0x301,
    0x4F, 0x302, 0x4F, 0x303, 0x4F, 0x308, 0x55, 0x300, 0x55, 0x301, 0x55, 0x302,
    0x55, 0x308, 0x59, 0x301, 0x61, 0x300, 0x61, 0x301, 0x61, 0x302, 0x61, 0x303,
    0x61, 0x308, 0x61, 0x30A, 0x63, 0x327, 0x65, 0x300, 0x65, 0x301, 0x65, 0x302,
    0x65, 0x308, 0x69, 0x300, 0x69, 0x301, 0x69, 0x302, 0x69, 0x308, 0x6E, 0x303,
    0x6F, 0x300, 0x6F, 0x301, 0x6F, 0x302, 0x6F, 0x303, 0x6F, 0x308, 0x75, 0x300,
    0x75, 0x301, 0x75, 0x302, 0x75, 0x308, 0x79, 0x301, 0x79, 0x308, 0x41, 0x304,
    0x61, 0x304, 0x41, 0x306, 0x61, 0x306, 0x41, 0x328, 0x61, 0x328, 0x43, 0x301,
    0x63, 0x301, 0x43, 0x302, 0x63, 0x302, 0x43, 0x307, 0x63, 0x307, 0x43, 0x30C,
    0x63, 0x30C, 0x44, 0x30C, 0x64, 0x30C, 0x45, 0x304, 0x65, 0x304, 0x45, 0x306,
    0x65, 0x306, 0x45, 0x307, 0x65, 0x307, 0x45, 0x328, 0x65, 0x328, 0x45, 0x30C,
    0x65, 0x30C, 0x47, 0x302, 0x67, 0x302, 0x47, 0x306, 0x67, 0x306, 0x47, 0x307,
    0x67, 0x307, 0x47, 0x327, 0x67, 0x327, 0x48, 0x302, 0x68, 0x302, 0x49, 0x303,
    0x69, 0x303, 0x49, 0x304, 0x69, 0x304, 0x49, 0x306, 0x69, 0x306, 0x49, 0x328,
    0x69, 0x328, 0x49, 0x307, 0x4A, 0x302, 0x6A, 0x302, 0x4B, 0x327, 0x6B, 0x327,
    0x4C, 0x301, 0x6C, 0x301, 0x4C, 0x327, 0x6C, 0x327, 0x4C, 0x30C, 0x6C, 0x30C,
    0x4E, 0x301, 0x6E, 0x301, 0x4E, 0x327, 0x6E, 0x327, 0x4E, 0x30C, 0x6E, 0x30C,
    0x4F, 0x304, 0x6F, 0x304, 0x4F, 0x306, 0x6F, 0x306, 0x4F, 0x30B, 0x6F, 0x30B,
    0x52, 0x301, 0x72, 0x301, 0x52, 0x327, 0x72, 0x327, 0x52, 0x30C, 0x72, 0x30C,
    0x53, 0x301, 0x73, 0x301, 0x53, 0x302, 0x73, 0x302, 0x53, 0x327, 0x73, 0x327,
    0x53, 0x30C, 0x73, 0x30C, 0x54, 0x327, 0x74, 0x327, 0x54, 0x30C, 0x74, 0x30C,
    0x55, 0x303, 0x75, 0x303, 0x55, 0x304, 0x75, 0x304, 0x55, 0x306, 0x75, 0x306,
    0x55, 0x30A, 0x75, 0x30A, 0x55, 0x30B, 0x75, 0x30B, 0x55, 0x328, 0x75, 0x328,
    0x57, 0x302, 0x77, 0x302, 0x59, 0x302, 0x79, 0x302, 0x59, 0x308, 0x5A, 0x301,
    0x7A, 0x301, 0x5A, 0x307, 0x7A, 0x307, 0x5A, 0x30C, 0x7A, 0x30C, 0x4F, 0x31B,
    0x6F, 0x31B, 0x55, 0x31B, 0x75, 0x31B, 0x41, 0x30C, 0x61, 0x30C, 0x49, 0x30C,
    0x69, 0x30C, 0x4F, 0x30C, 0x6F, 0x30C, 0x55, 0x30C, 0x75, 0x30C, 0x55, 0x308,
    0x304, 0x75, 0x308, 0x304, 0x55, 0x308, 0x301, 0x75, 0x308, 0x301, 0x55, 0x308,
    0x30C, 0x75, 0x308, 0x30C, 0x55, 0x308, 0x300, 0x75, 0x308, 0x300, 0x41, 0x308,
    0x304, 0x61, 0x308, 0x304, 0x41, 0x307, 0x304, 0x61, 0x307, 0x304, 0xC6, 0x304,
    0xE6, 0x304, 0x47, 0x30C, 0x67, 0x30C, 0x4B, 0x30C, 0x6B, 0x30C, 0x4F, 0x328,
    0x6F, 0x328, 0x4F, 0x328, 0x304, 0x6F, 0x328, 0x304, 0x1B7, 0x30C, 0x292, 0x30C,
    0x6A, 0x30C, 0x47, 0x301, 0x67, 0x301, 0x4E, 0x300, 0x6E, 0x300, 0x41, 0x30A,
    0x301, 0x61, 0x30A, 0x301, 0xC6, 0x301, 0xE6, 0x301, 0xD8, 0x301, 0xF8, 0x301,
    0x41, 0x30F, 0x61, 0x30F, 0x41, 0x311, 0x61, 0x311, 0x45, 0x30F, 0x65, 0x30F,
    0x45, 0x311, 0x65, 0x311, 0x49, 0x30F, 0x69, 0x30F, 0x49, 0x311, 0x69, 0x311,
    0x4F, 0x30F, 0x6F, 0x30F, 0x4F, 0x311, 0x6F, 0x311, 0x52, 0x30F, 0x72, 0x30F,
    0x52, 0x311, 0x72, 0x311, 0x55, 0x30F, 0x75, 0x30F, 0x55, 0x311, 0x75, 0x311,
    0x53, 0x326, 0x73, 0x326, 0x54, 0x326, 0x74, 0x326, 0x48, 0x30C, 0x68, 0x30C,
    0x41, 0x307, 0x61, 0x307, 0x45, 0x327, 0x65, 0x327, 0x4F, 0x308, 0x304, 0x6F,
    0x308, 0x304, 0x4F, 0x303, 0x304, 0x6F, 0x303, 0x304, 0x4F, 0x307, 0x6F, 0x307,
    0x4F, 0x307, 0x304, 0x6F, 0x307, 0x304, 0x59, 0x304, 0x79, 0x304, 0x300, 0x301,
    0x313, 0x308, 0x301, 0x2B9, 0x3B, 0xA8, 0x301, 0x391, 0x301, 0xB7, 0x395, 0x301,
    0x397, 0x301, 0x399, 0x301, 0x39F, 0x301, 0x3A5, 0x301, 0x3A9, 0x301, 0x3B9, 0x308,
    0x301, 0x399, 0x308, 0x3A5, 0x308, 0x3B1, 0x301, 0x3B5, 0x301, 0x3B7, 0x301, 0x3B9,
    0x301, 0x3C5, 0x308, 0x301, 0x3B9, 0x308, 0x3C5, 0x308, 0x3BF, 0x301, 0x3C5, 0x301,
    0x3C9, 0x301, 0x3D2, 0x301, 0x3D2, 0x308, 0x415, 0x300, 0x415, 0x308, 0x413, 0x301,
    0x406, 0x308, 0x41A, 0x301, 0x418, 0x300, 0x423, 0x306, 0x418, 0x306, 0x438, 0x306,
    0x435, 0x300, 0x435, 0x308, 0x433, 0x301, 0x456, 0x308, 0x43A, 0x301, 0x438, 0x300,
    0x443, 0x306, 0x474, 0x30F, 0x475, 0x30F, 0x416, 0x306, 0x436, 0x306, 0x410, 0x306,
    0x430, 0x306, 0x410, 0x308, 0x430, 0x308, 0x415, 0x306, 0x435, 0x306, 0x4D8, 0x308,
    0x4D9, 0x308, 0x416, 0x308, 0x436, 0x308, 0x417, 0x308, 0x437, 0x308, 0x418, 0x304,
    0x438, 0x304, 0x418, 0x308, 0x438, 0x308, 0x41E, 0x308, 0x43E, 0x308, 0x4E8, 0x308,
    0x4E9, 0x308, 0x42D, 0x308, 0x44D, 0x308, 0x423, 0x304, 0x443, 0x304, 0x423, 0x308,
    0x443, 0x308, 0x423, 0x30B, 0x443, 0x30B, 0x427, 0x308, 0x447, 0x308, 0x42B, 0x308,
    0x44B, 0x308, 0x627, 0x653, 0x627, 0x654, 0x648, 0x654, 0x627, 0x655, 0x64A, 0x654,
    0x6D5, 0x654, 0x6C1, 0x654, 0x6D2, 0x654, 0x928, 0x93C, 0x930, 0x93C, 0x933, 0x93C,
    0x915, 0x93C, 0x916, 0x93C, 0x917, 0x93C, 0x91C, 0x93C, 0x921, 0x93C, 0x922, 0x93C,
    0x92B, 0x93C, 0x92F, 0x93C, 0x9C7, 0x9BE, 0x9C7, 0x9D7, 0x9A1, 0x9BC, 0x9A2, 0x9BC,
    0x9AF, 0x9BC, 0xA32, 0xA3C, 0xA38, 0xA3C, 0xA16, 0xA3C, 0xA17, 0xA3C, 0xA1C, 0xA3C,
    0xA2B, 0xA3C, 0xB47, 0xB56, 0xB47, 0xB3E, 0xB47, 0xB57, 0xB21, 0xB3C, 0xB22, 0xB3C,
    0xB92, 0xBD7, 0xBC6, 0xBBE, 0xBC7, 0xBBE, 0xBC6, 0xBD7, 0xC46, 0xC56, 0xCBF, 0xCD5,
    0xCC6, 0xCD5, 0xCC6, 0xCD6, 0xCC6, 0xCC2, 0xCC6, 0xCC2, 0xCD5, 0xD46, 0xD3E, 0xD47,
    0xD3E, 0xD46, 0xD57, 0xDD9, 0xDCA, 0xDD9, 0xDCF, 0xDD9, 0xDCF, 0xDCA, 0xDD9, 0xDDF,
    0xF42, 0xFB7, 0xF4C, 0xFB7, 0xF51, 0xFB7, 0xF56, 0xFB7, 0xF5B, 0xFB7, 0xF40, 0xFB5,
    0xF71, 0xF72, 0xF71, 0xF74, 0xFB2, 0xF80, 0xFB3, 0xF80, 0xF71, 0xF80, 0xF92, 0xFB7,
    0xF9C, 0xFB7, 0xFA1, 0xFB7, 0xFA6, 0xFB7, 0xFAB, 0xFB7, 0xF90, 0xFB5, 0x1025, 0x102E,
    0x1B05, 0x1B35, 0x1B07, 0x1B35, 0x1B09, 0x1B35, 0x1B0B, 0x1B35, 0x1B0D, 0x1B35, 0x1B11, 0x1B35,
    0x1B3A, 0x1B35, 0x1B3C, 0x1B35, 0x1B3E, 0x1B35, 0x1B3F, 0x1B35, 0x1B42, 0x1B35, 0x41, 0x325,
    0x61, 0x325, 0x42, 0x307, 0x62, 0x307, 0x42, 0x323, 0x62, 0x323, 0x42, 0x331,
    0x62, 0x331, 0x43, 0x327, 0x301, 0x63, 0x327, 0x301, 0x44, 0x307, 0x64, 0x307,
    0x44, 0x323, 0x64, 0x323, 0x44, 0x331, 0x64, 0x331, 0x44, 0x327, 0x64, 0x327,
    0x44, 0x32D, 0x64, 0x32D, 0x45, 0x304, 0x300, 0x65, 0x304, 0x300, 0x45, 0x304,
    0x301, 0x65, 0x304, 0x301, 0x45, 0x32D, 0x65, 0x32D, 0x45, 0x330, 0x65, 0x330,
    0x45, 0x327, 0x306, 0x65, 0x327, 0x306, 0x46, 0x307, 0x66, 0x307, 0x47, 0x304,
    0x67, 0x304, 0x48, 0x307, 0x68, 0x307, 0x48, 0x323, 0x68, 0x323, 0x48, 0x308,
    0x68, 0x308, 0x48, 0x327, 0x68, 0x327, 0x48, 0x32E, 0x68, 0x32E, 0x49, 0x330,
    0x69, 0x330, 0x49, 0x308, 0x301, 0x69, 0x308, 0x301, 0x4B, 0x301, 0x6B, 0x301,
    0x4B, 0x323, 0x6B, 0x323, 0x4B, 0x331, 0x6B, 0x331, 0x4C, 0x323, 0x6C, 0x323,
    0x4C, 0x323, 0x304, 0x6C, 0x323, 0x304, 0x4C, 0x331, 0x6C, 0x331, 0x4C, 0x32D,
    0x6C, 0x32D, 0x4D, 0x301, 0x6D, 0x301, 0x4D, 0x307, 0x6D, 0x307, 0x4D, 0x323,
    0x6D, 0x323, 0x4E, 0x307, 0x6E, 0x307, 0x4E, 0x323, 0x6E, 0x323, 0x4E, 0x331,
    0x6E, 0x331, 0x4E, 0x32D, 0x6E, 0x32D, 0x4F, 0x303, 0x301, 0x6F, 0x303, 0x301,
    0x4F, 0x303, 0x308, 0x6F, 0x303, 0x308, 0x4F, 0x304, 0x300, 0x6F, 0x304, 0x300,
    0x4F, 0x304, 0x301, 0x6F, 0x304, 0x301, 0x50, 0x301, 0x70, 0x301, 0x50, 0x307,
    0x70, 0x307, 0x52, 0x307, 0x72, 0x307, 0x52, 0x323, 0x72, 0x323, 0x52, 0x323,
    0x304, 0x72, 0x323, 0x304, 0x52, 0x331, 0x72, 0x331, 0x53, 0x307, 0x73, 0x307,
    0x53, 0x323, 0x73, 0x323, 0x53, 0x301, 0x307, 0x73, 0x301, 0x307, 0x53, 0x30C,
    0x307, 0x73, 0x30C, 0x307, 0x53, 0x323, 0x307, 0x73, 0x323, 0x307, 0x54, 0x307,
    0x74, 0x307, 0x54, 0x323, 0x74, 0x323, 0x54, 0x331, 0x74, 0x331, 0x54, 0x32D,
    0x74, 0x32D, 0x55, 0x324, 0x75, 0x324, 0x55, 0x330, 0x75, 0x330, 0x55, 0x32D,
    0x75, 0x32D, 0x55, 0x303, 0x301, 0x75, 0x303, 0x301, 0x55, 0x304, 0x308, 0x75,
    0x304, 0x308, 0x56, 0x303, 0x76, 0x303, 0x56, 0x323, 0x76, 0x323, 0x57, 0x300,
    0x77, 0x300, 0x57, 0x301, 0x77, 0x301, 0x57, 0x308, 0x77, 0x308, 0x57, 0x307,
    0x77, 0x307, 0x57, 0x323, 0x77, 0x323, 0x58, 0x307, 0x78, 0x307, 0x58, 0x308,
    0x78, 0x308, 0x59, 0x307, 0x79, 0x307, 0x5A, 0x302, 0x7A, 0x302, 0x5A, 0x323,
    0x7A, 0x323, 0x5A, 0x331, 0x7A, 0x331, 0x68, 0x331, 0x74, 0x308, 0x77, 0x30A,
    0x79, 0x30A, 0x17F, 0x307, 0x41, 0x323, 0x61, 0x323, 0x41, 0x309, 0x61, 0x309,
    0x41, 0x302, 0x301, 0x61, 0x302, 0x301, 0x41, 0x302, 0x300, 0x61, 0x302, 0x300,
    0x41, 0x302, 0x309, 0x61, 0x302, 0x309, 0x41, 0x302, 0x303, 0x61, 0x302, 0x303,
    0x41, 0x323, 0x302, 0x61, 0x323, 0x302, 0x41, 0x306, 0x301, 0x61, 0x306, 0x301,
    0x41, 0x306, 0x300, 0x61, 0x306, 0x300, 0x41, 0x306, 0x309, 0x61, 0x306, 0x309,
    0x41, 0x306, 0x303, 0x61, 0x306, 0x303, 0x41, 0x323, 0x306, 0x61, 0x323, 0x306,
    0x45, 0x323, 0x65, 0x323, 0x45, 0x309, 0x65, 0x309, 0x45, 0x303, 0x65, 0x303,
    0x45, 0x302, 0x301, 0x65, 0x302, 0x301, 0x45, 0x302, 0x300, 0x65, 0x302, 0x300,
    0x45, 0x302, 0x309, 0x65, 0x302, 0x309, 0x45, 0x302, 0x303, 0x65, 0x302, 0x303,
    0x45, 0x323, 0x302, 0x65, 0x323, 0x302, 0x49, 0x309, 0x69, 0x309, 0x49, 0x323,
    0x69, 0x323, 0x4F, 0x323, 0x6F, 0x323, 0x4F, 0x309, 0x6F, 0x309, 0x4F, 0x302,
    0x301, 0x6F, 0x302, 0x301, 0x4F, 0x302, 0x300, 0x6F, 0x302, 0x300, 0x4F, 0x302,
    0x309, 0x6F, 0x302, 0x309, 0x4F, 0x302, 0x303, 0x6F, 0x302, 0x303, 0x4F, 0x323,
    0x302, 0x6F, 0x323, 0x302, 0x4F, 0x31B, 0x301, 0x6F, 0x31B, 0x301, 0x4F, 0x31B,
    0x300, 0x6F, 0x31B, 0x300, 0x4F, 0x31B, 0x309, 0x6F, 0x31B, 0x309, 0x4F, 0x31B,
    0x303, 0x6F, 0x31B, 0x303, 0x4F, 0x31B, 0x323, 0x6F, 0x31B, 0x323, 0x55, 0x323,
    0x75, 0x323, 0x55, 0x309, 0x75, 0x309, 0x55, 0x31B, 0x301, 0x75, 0x31B, 0x301,
    0x55, 0x31B, 0x300, 0x75, 0x31B, 0x300, 0x55, 0x31B, 0x309, 0x75, 0x31B, 0x309,
    0x55, 0x31B, 0x303, 0x75, 0x31B, 0x303, 0x55, 0x31B, 0x323, 0x75, 0x31B, 0x323,
    0x59, 0x300, 0x79, 0x300, 0x59, 0x323, 0x79, 0x323, 0x59, 0x309, 0x79, 0x309,
    0x59, 0x303, 0x79, 0x303, 0x3B1, 0x313, 0x3B1, 0x314, 0x3B1, 0x313, 0x300, 0x3B1,
    0x314, 0x300, 0x3B1, 0x313, 0x301, 0x3B1, 0x314, 0x301, 0x3B1, 0x313, 0x342, 0x3B1,
    0x314, 0x342, 0x391, 0x313, 0x391, 0x314, 0x391, 0x313, 0x300, 0x391, 0x314, 0x300,
    0x391, 0x313, 0x301, 0x391, 0x314, 0x301, 0x391, 0x313, 0x342, 0x391, 0x314, 0x342,
    0x3B5, 0x313, 0x3B5, 0x314, 0x3B5, 0x313, 0x300, 0x3B5, 0x314, 0x300, 0x3B5, 0x313,
    0x301, 0x3B5, 0x314, 0x301, 0x395, 0x313, 0x395, 0x314, 0x395, 0x313, 0x300, 0x395,
    0x314, 0x300, 0x395, 0x313, 0x301, 0x395, 0x314, 0x301, 0x3B7, 0x313, 0x3B7, 0x314,
    0x3B7, 0x313, 0x300, 0x3B7, 0x314, 0x300, 0x3B7, 0x313, 0x301, 0x3B7, 0x314, 0x301,
    0x3B7, 0x313, 0x342, 0x3B7, 0x314, 0x342, 0x397, 0x313, 0x397, 0x314, 0x397, 0x313,
    0x300, 0x397, 0x314, 0x300, 0x397, 0x313, 0x301, 0x397, 0x314, 0x301, 0x397, 0x313,
    0x342, 0x397, 0x314, 0x342, 0x3B9, 0x313, 0x3B9, 0x314, 0x3B9, 0x313, 0x300, 0x3B9,
    0x314, 0x300, 0x3B9, 0x313, 0x301, 0x3B9, 0x314, 0x301, 0x3B9, 0x313, 0x342, 0x3B9,
    0x314, 0x342, 0x399, 0x313, 0x399, 0x314, 0x399, 0x313, 0x300, 0x399, 0x314, 0x300,
    0x399, 0x313, 0x301, 0x399, 0x314, 0x301, 0x399, 0x313, 0x342, 0x399, 0x314, 0x342,
    0x3BF, 0x313, 0x3BF, 0x314, 0x3BF, 0x313, 0x300, 0x3BF, 0x314, 0x300, 0x3BF, 0x313,
    0x301, 0x3BF, 0x314, 0x301, 0x39F, 0x313, 0x39F, 0x314, 0x39F, 0x313, 0x300, 0x39F,
    0x314, 0x300, 0x39F, 0x313, 0x301, 0x39F, 0x314, 0x301, 0x3C5, 0x313, 0x3C5, 0x314,
    0x3C5, 0x313, 0x300, 0x3C5, 0x314, 0x300, 0x3C5, 0x313, 0x301, 0x3C5, 0x314, 0x301,
    0x3C5, 0x313, 0x342, 0x3C5, 0x314, 0x342, 0x3A5, 0x314, 0x3A5, 0x314, 0x300, 0x3A5,
    0x314, 0x301, 0x3A5, 0x314, 0x342, 0x3C9, 0x313, 0x3C9, 0x314, 0x3C9, 0x313, 0x300,
    0x3C9, 0x314, 0x300, 0x3C9, 0x313, 0x301, 0x3C9, 0x314, 0x301, 0x3C9, 0x313, 0x342,
    0x3C9, 0x314, 0x342, 0x3A9, 0x313, 0x3A9, 0x314, 0x3A9, 0x313, 0x300, 0x3A9, 0x314,
    0x300, 0x3A9, 0x313, 0x301, 0x3A9, 0x314, 0x301, 0x3A9, 0x313, 0x342, 0x3A9, 0x314,
    0x342, 0x3B1, 0x300, 0x3B1, 0x301, 0x3B5, 0x300, 0x3B5, 0x301, 0x3B7, 0x300, 0x3B7,
    0x301, 0x3B9, 0x300, 0x3B9, 0x301, 0x3BF, 0x300, 0x3BF, 0x301, 0x3C5, 0x300, 0x3C5,
    0x301, 0x3C9, 0x300, 0x3C9, 0x301, 0x3B1, 0x313, 0x345, 0x3B1, 0x314, 0x345, 0x3B1,
    0x313, 0x300, 0x345, 0x3B1, 0x314, 0x300, 0x345, 0x3B1, 0x313, 0x301, 0x345, 0x3B1,
    0x314, 0x301, 0x345, 0x3B1, 0x313, 0x342, 0x345, 0x3B1, 0x314, 0x342, 0x345, 0x391,
    0x313, 0x345, 0x391, 0x314, 0x345, 0x391, 0x313, 0x300, 0x345, 0x391, 0x314, 0x300,
    0x345, 0x391, 0x313, 0x301, 0x345, 0x391, 0x314, 0x301, 0x345, 0x391, 0x313, 0x342,
    0x345, 0x391, 0x314, 0x342, 0x345, 0x3B7, 0x313, 0x345, 0x3B7, 0x314, 0x345, 0x3B7,
    0x313, 0x300, 0x345, 0x3B7, 0x314, 0x300, 0x345, 0x3B7, 0x313, 0x301, 0x345, 0x3B7,
    0x314, 0x301, 0x345, 0x3B7, 0x313, 0x342, 0x345, 0x3B7, 0x314, 0x342, 0x345, 0x397,
    0x313, 0x345, 0x397, 0x314, 0x345, 0x397, 0x313, 0x300, 0x345, 0x397, 0x314, 0x300,
    0x345, 0x397, 0x313, 0x301, 0x345, 0x397, 0x314, 0x301, 0x345, 0x397, 0x313, 0x342,
    0x345, 0x397, 0x314, 0x342, 0x345, 0x3C9, 0x313, 0x345, 0x3C9, 0x314, 0x345, 0x3C9,
    0x313, 0x300, 0x345, 0x3C9, 0x314, 0x300, 0x345, 0x3C9, 0x313, 0x301, 0x345, 0x3C9,
    0x314, 0x301, 0x345, 0x3C9, 0x313, 0x342, 0x345, 0x3C9, 0x314, 0x342, 0x345, 0x3A9,
    0x313, 0x345, 0x3A9, 0x314, 0x345, 0x3A9, 0x313, 0x300, 0x345, 0x3A9, 0x314, 0x300,
    0x345, 0x3A9, 0x313, 0x301, 0x345, 0x3A9, 0x314, 0x301, 0x345, 0x3A9, 0x313, 0x342,
    0x345, 0x3A9, 0x314, 0x342, 0x345, 0x3B1, 0x306, 0x3B1, 0x304, 0x3B1, 0x300, 0x345,
    0x3B1, 0x345, 0x3B1, 0x301, 0x345, 0x3B1, 0x342, 0x3B1, 0x342, 0x345, 0x391, 0x306,
    0x391, 0x304, 0x391, 0x300, 0x391, 0x301, 0x391, 0x345, 0x3B9, 0xA8, 0x342, 0x3B7,
    0x300, 0x345, 0x3B7, 0x345, 0x3B7, 0x301, 0x345, 0x3B7, 0x342, 0x3B7, 0x342, 0x345,
    0x395, 0x300, 0x395, 0x301, 0x397, 0x300, 0x397, 0x301, 0x397, 0x345, 0x1FBF, 0x300,
    0x1FBF, 0x301, 0x1FBF, 0x342, 0x3B9, 0x306, 0x3B9, 0x304, 0x3B9, 0x308, 0x300, 0x3B9,
    0x308, 0x301, 0x3B9, 0x342, 0x3B9, 0x308, 0x342, 0x399, 0x306, 0x399, 0x304, 0x399,
    0x300, 0x399, 0x301, 0x1FFE, 0x300, 0x1FFE, 0x301, 0x1FFE, 0x342, 0x3C5, 0x306, 0x3C5,
    0x304, 0x3C5, 0x308, 0x300, 0x3C5, 0x308, 0x301, 0x3C1, 0x313, 0x3C1, 0x314, 0x3C5,
    0x342, 0x3C5, 0x308, 0x342, 0x3A5, 0x306, 0x3A5, 0x304, 0x3A5, 0x300, 0x3A5, 0x301,
    0x3A1, 0x314, 0xA8, 0x300, 0xA8, 0x301, 0x60, 0x3C9, 0x300, 0x345, 0x3C9, 0x345,
    0x3C9, 0x301, 0x345, 0x3C9, 0x342, 0x3C9, 0x342, 0x345, 0x39F, 0x300, 0x39F, 0x301,
    0x3A9, 0x300, 0x3A9, 0x301, 0x3A9, 0x345, 0xB4, 0x2002, 0x2003, 0x3A9, 0x4B, 0x41,
    0x30A, 0x2190, 0x338, 0x2192, 0x338, 0x2194, 0x338, 0x21D0, 0x338, 0x21D4, 0x338, 0x21D2,
    0x338, 0x2203, 0x338, 0x2208, 0x338, 0x220B, 0x338, 0x2223, 0x338, 0x2225, 0x338, 0x223C,
    0x338, 0x2243, 0x338, 0x2245, 0x338, 0x2248, 0x338, 0x3D, 0x338, 0x2261, 0x338, 0x224D,
    0x338, 0x3C, 0x338, 0x3E, 0x338, 0x2264, 0x338, 0x2265, 0x338, 0x2272, 0x338, 0x2273,
    0x338, 0x2276, 0x338, 0x2277, 0x338, 0x227A, 0x338, 0x227B, 0x338, 0x2282, 0x338, 0x2283,
    0x338, 0x2286, 0x338, 0x2287, 0x338, 0x22A2, 0x338, 0x22A8, 0x338, 0x22A9, 0x338, 0x22AB,
    0x338, 0x227C, 0x338, 0x227D, 0x338, 0x2291, 0x338, 0x2292, 0x338, 0x22B2, 0x338, 0x22B3,
    0x338, 0x22B4, 0x338, 0x22B5, 0x338, 0x3008, 0x3009, 0x2ADD, 0x338, 0x304B, 0x3099, 0x304D,
    0x3099, 0x304F, 0x3099, 0x3051, 0x3099, 0x3053, 0x3099, 0x3055, 0x3099, 0x3057, 0x3099, 0x3059,
    0x3099, 0x305B, 0x3099, 0x305D, 0x3099, 0x305F, 0x3099, 0x3061, 0x3099, 0x3064, 0x3099, 0x3066,
    0x3099, 0x3068, 0x3099, 0x306F, 0x3099, 0x306F, 0x309A, 0x3072, 0x3099, 0x3072, 0x309A, 0x3075,
    0x3099, 0x3075, 0x309A, 0x3078, 0x3099, 0x3078, 0x309A, 0x307B, 0x3099, 0x307B, 0x309A, 0x3046,
    0x3099, 0x309D, 0x3099, 0x30AB, 0x3099, 0x30AD, 0x3099, 0x30AF, 0x3099, 0x30B1, 0x3099, 0x30B3,
    0x3099, 0x30B5, 0x3099, 0x30B7, 0x3099, 0x30B9, 0x3099, 0x30BB, 0x3099, 0x30BD, 0x3099, 0x30BF,
    0x3099, 0x30C1, 0x3099, 0x30C4, 0x3099, 0x30C6, 0x3099, 0x30C8, 0x3099, 0x30CF, 0x3099, 0x30CF,
    0x309A, 0x30D2, 0x3099, 0x30D2, 0x309A, 0x30D5, 0x3099, 0x30D5, 0x309A, 0x30D8, 0x3099, 0x30D8,
    0x309A, 0x30DB, 0x3099, 0x30DB, 0x309A, 0x30A6, 0x3099, 0x30EF, 0x3099, 0x30F0, 0x3099, 0x30F1,
    0x3099, 0x30F2, 0x3099, 0x30FD, 0x3099, 0x8C48, 0x66F4, 0x8ECA, 0x8CC8, 0x6ED1, 0x4E32, 0x53E5,
    0x9F9C, 0x9F9C, 0x5951, 0x91D1, 0x5587, 0x5948, 0x61F6, 0x7669, 0x7F85, 0x863F, 0x87BA, 0x88F8,
    0x908F, 0x6A02, 0x6D1B, 0x70D9, 0x73DE, 0x843D, 0x916A, 0x99F1, 0x4E82, 0x5375, 0x6B04, 0x721B,
    0x862D, 0x9E1E, 0x5D50, 0x6FEB, 0x85CD, 0x8964, 0x62C9, 0x81D8, 0x881F, 0x5ECA, 0x6717, 0x6D6A,
    0x72FC, 0x90CE, 0x4F86, 0x51B7, 0x52DE, 0x64C4, 0x6AD3, 0x7210, 0x76E7, 0x8001, 0x8606, 0x865C,
    0x8DEF, 0x9732, 0x9B6F, 0x9DFA, 0x788C, 0x797F, 0x7DA0, 0x83C9, 0x9304, 0x9E7F, 0x8AD6, 0x58DF,
    0x5F04, 0x7C60, 0x807E, 0x7262, 0x78CA, 0x8CC2, 0x96F7, 0x58D8, 0x5C62, 0x6A13, 0x6DDA, 0x6F0F,
    0x7D2F, 0x7E37, 0x964B, 0x52D2, 0x808B, 0x51DC, 0x51CC, 0x7A1C, 0x7DBE, 0x83F1, 0x9675, 0x8B80,
    0x62CF, 0x6A02, 0x8AFE, 0x4E39, 0x5BE7, 0x6012, 0x7387, 0x7570, 0x5317, 0x78FB, 0x4FBF, 0x5FA9,
    0x4E0D, 0x6CCC, 0x6578, 0x7D22, 0x53C3, 0x585E, 0x7701, 0x8449, 0x8AAA, 0x6BBA, 0x8FB0, 0x6C88,
    0x62FE, 0x82E5, 0x63A0, 0x7565, 0x4EAE, 0x5169, 0x51C9, 0x6881, 0x7CE7, 0x826F, 0x8AD2, 0x91CF,
    0x52F5, 0x5442, 0x5973, 0x5EEC, 0x65C5, 0x6FFE, 0x792A, 0x95AD, 0x9A6A, 0x9E97, 0x9ECE, 0x529B,
    0x66C6, 0x6B77, 0x8F62, 0x5E74, 0x6190, 0x6200, 0x649A, 0x6F23, 0x7149, 0x7489, 0x79CA, 0x7DF4,
    0x806F, 0x8F26, 0x84EE, 0x9023, 0x934A, 0x5217, 0x52A3, 0x54BD, 0x70C8, 0x88C2, 0x8AAA, 0x5EC9,
    0x5FF5, 0x637B, 0x6BAE, 0x7C3E, 0x7375, 0x4EE4, 0x56F9, 0x5BE7, 0x5DBA, 0x601C, 0x73B2, 0x7469,
    0x7F9A, 0x8046, 0x9234, 0x96F6, 0x9748, 0x9818, 0x4F8B, 0x79AE, 0x91B4, 0x96B8, 0x60E1, 0x4E86,
    0x50DA, 0x5BEE, 0x5C3F, 0x6599, 0x6A02, 0x71CE, 0x7642, 0x84FC, 0x907C, 0x9F8D, 0x6688, 0x962E,
    0x5289, 0x677B, 0x67F3, 0x6D41, 0x6E9C, 0x7409, 0x7559, 0x786B, 0x7D10, 0x985E, 0x516D, 0x622E,
    0x9678, 0x502B, 0x5D19, 0x6DEA, 0x8F2A, 0x5F8B, 0x6144, 0x6817, 0x7387, 0x9686, 0x5229, 0x540F,
    0x5C65, 0x6613, 0x674E, 0x68A8, 0x6CE5, 0x7406, 0x75E2, 0x7F79, 0x88CF, 0x88E1, 0x91CC, 0x96E2,
    0x533F, 0x6EBA, 0x541D, 0x71D0, 0x7498, 0x85FA, 0x96A3, 0x9C57, 0x9E9F, 0x6797, 0x6DCB, 0x81E8,
    0x7ACB, 0x7B20, 0x7C92, 0x72C0, 0x7099, 0x8B58, 0x4EC0, 0x8336, 0x523A, 0x5207, 0x5EA6, 0x62D3,
    0x7CD6, 0x5B85, 0x6D1E, 0x66B4, 0x8F3B, 0x884C, 0x964D, 0x898B, 0x5ED3, 0x5140, 0x55C0, 0x585A,
    0x6674, 0x51DE, 0x732A, 0x76CA, 0x793C, 0x795E, 0x7965, 0x798F, 0x9756, 0x7CBE, 0x7FBD, 0x8612,
    0x8AF8, 0x9038, 0x90FD, 0x98EF, 0x98FC, 0x9928, 0x9DB4, 0x90DE, 0x96B7, 0x4FAE, 0x50E7, 0x514D,
    0x52C9, 0x52E4, 0x5351, 0x559D, 0x5606, 0x5668, 0x5840, 0x58A8, 0x5C64, 0x5C6E, 0x6094, 0x6168,
    0x618E, 0x61F2, 0x654F, 0x65E2, 0x6691, 0x6885, 0x6D77, 0x6E1A, 0x6F22, 0x716E, 0x722B, 0x7422,
    0x7891, 0x793E, 0x7949, 0x7948, 0x7950, 0x7956, 0x795D, 0x798D, 0x798E, 0x7A40, 0x7A81, 0x7BC0,
    0x7DF4, 0x7E09, 0x7E41, 0x7F72, 0x8005, 0x81ED, 0x8279, 0x8279, 0x8457, 0x8910, 0x8996, 0x8B01,
    0x8B39, 0x8CD3, 0x8D08, 0x8FB6, 0x9038, 0x96E3, 0x97FF, 0x983B, 0x6075, 0xD850, 0xDEEE, 0x8218,
    0x4E26, 0x51B5, 0x5168, 0x4F80, 0x5145, 0x5180, 0x52C7, 0x52FA, 0x559D, 0x5555, 0x5599, 0x55E2,
    0x585A, 0x58B3, 0x5944, 0x5954, 0x5A62, 0x5B28, 0x5ED2, 0x5ED9, 0x5F69, 0x5FAD, 0x60D8, 0x614E,
    0x6108, 0x618E, 0x6160, 0x61F2, 0x6234, 0x63C4, 0x641C, 0x6452, 0x6556, 0x6674, 0x6717, 0x671B,
    0x6756, 0x6B79, 0x6BBA, 0x6D41, 0x6EDB, 0x6ECB, 0x6F22, 0x701E, 0x716E, 0x77A7, 0x7235, 0x72AF,
    0x732A, 0x7471, 0x7506, 0x753B, 0x761D, 0x761F, 0x76CA, 0x76DB, 0x76F4, 0x774A, 0x7740, 0x78CC,
    0x7AB1, 0x7BC0, 0x7C7B, 0x7D5B, 0x7DF4, 0x7F3E, 0x8005, 0x8352, 0x83EF, 0x8779, 0x8941, 0x8986,
    0x8996, 0x8ABF, 0x8AF8, 0x8ACB, 0x8B01, 0x8AFE, 0x8AED, 0x8B39, 0x8B8A, 0x8D08, 0x8F38, 0x9072,
    0x9199, 0x9276, 0x967C, 0x96E3, 0x9756, 0x97DB, 0x97FF, 0x980B, 0x983B, 0x9B12, 0x9F9C, 0xD84A,
    0xDC4A, 0xD84A, 0xDC44, 0xD84C, 0xDFD5, 0x3B9D, 0x4018, 0x4039, 0xD854, 0xDE49, 0xD857, 0xDCD0,
    0xD85F, 0xDED3, 0x9F43, 0x9F8E, 0x5D9, 0x5B4, 0x5F2, 0x5B7, 0x5E9, 0x5C1, 0x5E9, 0x5C2,
    0x5E9, 0x5BC, 0x5C1, 0x5E9, 0x5BC, 0x5C2, 0x5D0, 0x5B7, 0x5D0, 0x5B8, 0x5D0, 0x5BC,
    0x5D1, 0x5BC, 0x5D2, 0x5BC, 0x5D3, 0x5BC, 0x5D4, 0x5BC, 0x5D5, 0x5BC, 0x5D6, 0x5BC,
    0x5D8, 0x5BC, 0x5D9, 0x5BC, 0x5DA, 0x5BC, 0x5DB, 0x5BC, 0x5DC, 0x5BC, 0x5DE, 0x5BC,
    0x5E0, 0x5BC, 0x5E1, 0x5BC, 0x5E3, 0x5BC, 0x5E4, 0x5BC, 0x5E6, 0x5BC, 0x5E7, 0x5BC,
    0x5E8, 0x5BC, 0x5E9, 0x5BC, 0x5EA, 0x5BC, 0x5D5, 0x5B9, 0x5D1, 0x5BF, 0x5DB, 0x5BF,
    0x5E4, 0x5BF, 0xD804, 0xDC99, 0xD804, 0xDCBA, 0xD804, 0xDC9B, 0xD804, 0xDCBA, 0xD804, 0xDCA5,
    0xD804, 0xDCBA, 0xD804, 0xDD31, 0xD804, 0xDD27, 0xD804, 0xDD32, 0xD804, 0xDD27, 0xD804, 0xDF47,
    0xD804, 0xDF3E, 0xD804, 0xDF47, 0xD804, 0xDF57, 0xD805, 0xDCB9, 0xD805, 0xDCBA, 0xD805, 0xDCB9,
    0xD805, 0xDCB0, 0xD805, 0xDCB9, 0xD805, 0xDCBD, 0xD805, 0xDDB8, 0xD805, 0xDDAF, 0xD805, 0xDDB9,
    0xD805, 0xDDAF, 0xD834, 0xDD57, 0xD834, 0xDD65, 0xD834, 0xDD58, 0xD834, 0xDD65, 0xD834, 0xDD58,
    0xD834, 0xDD65, 0xD834, 0xDD6E, 0xD834, 0xDD58, 0xD834, 0xDD65, 0xD834, 0xDD6F, 0xD834, 0xDD58,
    0xD834, 0xDD65, 0xD834, 0xDD70, 0xD834, 0xDD58, 0xD834, 0xDD65, 0xD834, 0xDD71, 0xD834, 0xDD58,
    0xD834, 0xDD65, 0xD834, 0xDD72, 0xD834, 0xDDB9, 0xD834, 0xDD65, 0xD834, 0xDDBA, 0xD834, 0xDD65,
    0xD834, 0xDDB9, 0xD834, 0xDD65, 0xD834, 0xDD6E, 0xD834, 0xDDBA, 0xD834, 0xDD65, 0xD834, 0xDD6E,
    0xD834, 0xDDB9, 0xD834, 0xDD65, 0xD834, 0xDD6F, 0xD834, 0xDDBA, 0xD834, 0xDD65, 0xD834, 0xDD6F,
    0x4E3D, 0x4E38, 0x4E41, 0xD840, 0xDD22, 0x4F60, 0x4FAE, 0x4FBB, 0x5002, 0x507A, 0x5099, 0x50E7,
    0x50CF, 0x349E, 0xD841, 0xDE3A, 0x514D, 0x5154, 0x5164, 0x5177, 0xD841, 0xDD1C, 0x34B9, 0x5167,
    0x518D, 0xD841, 0xDD4B, 0x5197, 0x51A4, 0x4ECC, 0x51AC, 0x51B5, 0xD864, 0xDDDF, 0x51F5, 0x5203,
    0x34DF, 0x523B, 0x5246, 0x5272, 0x5277, 0x3515, 0x52C7, 0x52C9, 0x52E4, 0x52FA, 0x5305, 0x5306,
    0x5317, 0x5349, 0x5351, 0x535A, 0x5373, 0x537D, 0x537F, 0x537F, 0x537F, 0xD842, 0xDE2C, 0x7070,
    0x53CA, 0x53DF, 0xD842, 0xDF63, 0x53EB, 0x53F1, 0x5406, 0x549E, 0x5438, 0x5448, 0x5468, 0x54A2,
    0x54F6, 0x5510, 0x5553, 0x5563, 0x5584, 0x5584, 0x5599, 0x55AB, 0x55B3, 0x55C2, 0x5716, 0x5606,
    0x5717, 0x5651, 0x5674, 0x5207, 0x58EE, 0x57CE, 0x57F4, 0x580D, 0x578B, 0x5832, 0x5831, 0x58AC,
    0xD845, 0xDCE4, 0x58F2, 0x58F7, 0x5906, 0x591A, 0x5922, 0x5962, 0xD845, 0xDEA8, 0xD845, 0xDEEA,
    0x59EC, 0x5A1B, 0x5A27, 0x59D8, 0x5A66, 0x36EE, 0x36FC, 0x5B08, 0x5B3E, 0x5B3E, 0xD846, 0xDDC8,
    0x5BC3, 0x5BD8, 0x5BE7, 0x5BF3, 0xD846, 0xDF18, 0x5BFF, 0x5C06, 0x5F53, 0x5C22, 0x3781, 0x5C60,
    0x5C6E, 0x5CC0, 0x5C8D, 0xD847, 0xDDE4, 0x5D43, 0xD847, 0xDDE6, 0x5D6E, 0x5D6B, 0x5D7C, 0x5DE1,
    0x5DE2, 0x382F, 0x5DFD, 0x5E28, 0x5E3D, 0x5E69, 0x3862, 0xD848, 0xDD83, 0x387C, 0x5EB0, 0x5EB3,
    0x5EB6, 0x5ECA, 0xD868, 0xDF92, 0x5EFE, 0xD848, 0xDF31, 0xD848, 0xDF31, 0x8201, 0x5F22, 0x5F22,
    0x38C7, 0xD84C, 0xDEB8, 0xD858, 0xDDDA, 0x5F62, 0x5F6B, 0x38E3, 0x5F9A, 0x5FCD, 0x5FD7, 0x5FF9,
    0x6081, 0x393A, 0x391C, 0x6094, 0xD849, 0xDED4, 0x60C7, 0x6148, 0x614C, 0x614E, 0x614C, 0x617A,
    0x618E, 0x61B2, 0x61A4, 0x61AF, 0x61DE, 0x61F2, 0x61F6, 0x6210, 0x621B, 0x625D, 0x62B1, 0x62D4,
    0x6350, 0xD84A, 0xDF0C, 0x633D, 0x62FC, 0x6368, 0x6383, 0x63E4, 0xD84A, 0xDFF1, 0x6422, 0x63C5,
    0x63A9, 0x3A2E, 0x6469, 0x647E, 0x649D, 0x6477, 0x3A6C, 0x654F, 0x656C, 0xD84C, 0xDC0A, 0x65E3,
    0x66F8, 0x6649, 0x3B19, 0x6691, 0x3B08, 0x3AE4, 0x5192, 0x5195, 0x6700, 0x669C, 0x80AD, 0x43D9,
    0x6717, 0x671B, 0x6721, 0x675E, 0x6753, 0xD84C, 0xDFC3, 0x3B49, 0x67FA, 0x6785, 0x6852, 0x6885,
    0xD84D, 0xDC6D, 0x688E, 0x681F, 0x6914, 0x3B9D, 0x6942, 0x69A3, 0x69EA, 0x6AA8, 0xD84D, 0xDEA3,
    0x6ADB, 0x3C18, 0x6B21, 0xD84E, 0xDCA7, 0x6B54, 0x3C4E, 0x6B72, 0x6B9F, 0x6BBA, 0x6BBB, 0xD84E,
    0xDE8D, 0xD847, 0xDD0B, 0xD84E, 0xDEFA, 0x6C4E, 0xD84F, 0xDCBC, 0x6CBF, 0x6CCD, 0x6C67, 0x6D16,
    0x6D3E, 0x6D77, 0x6D41, 0x6D69, 0x6D78, 0x6D85, 0xD84F, 0xDD1E, 0x6D34, 0x6E2F, 0x6E6E, 0x3D33,
    0x6ECB, 0x6EC7, 0xD84F, 0xDED1, 0x6DF9, 0x6F6E, 0xD84F, 0xDF5E, 0xD84F, 0xDF8E, 0x6FC6, 0x7039,
    0x701E, 0x701B, 0x3D96, 0x704A, 0x707D, 0x7077, 0x70AD, 0xD841, 0xDD25, 0x7145, 0xD850, 0xDE63,
    0x719C, 0xD850, 0xDFAB, 0x7228, 0x7235, 0x7250, 0xD851, 0xDE08, 0x7280, 0x7295, 0xD851, 0xDF35,
    0xD852, 0xDC14, 0x737A, 0x738B, 0x3EAC, 0x73A5, 0x3EB8, 0x3EB8, 0x7447, 0x745C, 0x7471, 0x7485,
    0x74CA, 0x3F1B, 0x7524, 0xD853, 0xDC36, 0x753E, 0xD853, 0xDC92, 0x7570, 0xD848, 0xDD9F, 0x7610,
    0xD853, 0xDFA1, 0xD853, 0xDFB8, 0xD854, 0xDC44, 0x3FFC, 0x4008, 0x76F4, 0xD854, 0xDCF3, 0xD854,
    0xDCF2, 0xD854, 0xDD19, 0xD854, 0xDD33, 0x771E, 0x771F, 0x771F, 0x774A, 0x4039, 0x778B, 0x4046,
    0x4096, 0xD855, 0xDC1D, 0x784E, 0x788C, 0x78CC, 0x40E3, 0xD855, 0xDE26, 0x7956, 0xD855, 0xDE9A,
    0xD855, 0xDEC5, 0x798F, 0x79EB, 0x412F, 0x7A40, 0x7A4A, 0x7A4F, 0xD856, 0xDD7C, 0xD856, 0xDEA7,
    0xD856, 0xDEA7, 0x7AEE, 0x4202, 0xD856, 0xDFAB, 0x7BC6, 0x7BC9, 0x4227, 0xD857, 0xDC80, 0x7CD2,
    0x42A0, 0x7CE8, 0x7CE3, 0x7D00, 0xD857, 0xDF86, 0x7D63, 0x4301, 0x7DC7, 0x7E02, 0x7E45, 0x4334,
    0xD858, 0xDE28, 0xD858, 0xDE47, 0x4359, 0xD858, 0xDED9, 0x7F7A, 0xD858, 0xDF3E, 0x7F95, 0x7FFA,
    0x8005, 0xD859, 0xDCDA, 0xD859, 0xDD23, 0x8060, 0xD859, 0xDDA8, 0x8070, 0xD84C, 0xDF5F, 0x43D5,
    0x80B2, 0x8103, 0x440B, 0x813E, 0x5AB5, 0xD859, 0xDFA7, 0xD859, 0xDFB5, 0xD84C, 0xDF93, 0xD84C,
    0xDF9C, 0x8201, 0x8204, 0x8F9E, 0x446B, 0x8291, 0x828B, 0x829D, 0x52B3, 0x82B1, 0x82B3, 0x82BD,
    0x82E6, 0xD85A, 0xDF3C, 0x82E5, 0x831D, 0x8363, 0x83AD, 0x8323, 0x83BD, 0x83E7, 0x8457, 0x8353,
    0x83CA, 0x83CC, 0x83DC, 0xD85B, 0xDC36, 0xD85B, 0xDD6B, 0xD85B, 0xDCD5, 0x452B, 0x84F1, 0x84F3,
    0x8516, 0xD85C, 0xDFCA, 0x8564, 0xD85B, 0xDF2C, 0x455D, 0x4561, 0xD85B, 0xDFB1, 0xD85C, 0xDCD2,
    0x456B, 0x8650, 0x865C, 0x8667, 0x8669, 0x86A9, 0x8688, 0x870E, 0x86E2, 0x8779, 0x8728, 0x876B,
    0x8786, 0x45D7, 0x87E1, 0x8801, 0x45F9, 0x8860, 0x8863, 0xD85D, 0xDE67, 0x88D7, 0x88DE, 0x4635,
    0x88FA, 0x34BB, 0xD85E, 0xDCAE, 0xD85E, 0xDD66, 0x46BE, 0x46C7, 0x8AA0, 0x8AED, 0x8B8A, 0x8C55,
    0xD85F, 0xDCA8, 0x8CAB, 0x8CC1, 0x8D1B, 0x8D77, 0xD85F, 0xDF2F, 0xD842, 0xDC04, 0x8DCB, 0x8DBC,
    0x8DF0, 0xD842, 0xDCDE, 0x8ED4, 0x8F38, 0xD861, 0xDDD2, 0xD861, 0xDDED, 0x9094, 0x90F1, 0x9111,
    0xD861, 0xDF2E, 0x911B, 0x9238, 0x92D7, 0x92D8, 0x927C, 0x93F9, 0x9415, 0xD862, 0xDFFA, 0x958B,
    0x4995, 0x95B7, 0xD863, 0xDD77, 0x49E6, 0x96C3, 0x5DB2, 0x9723, 0xD864, 0xDD45, 0xD864, 0xDE1A,
    0x4A6E, 0x4A76, 0x97E0, 0xD865, 0xDC0A, 0x4AB2, 0xD865, 0xDC96, 0x980B, 0x980B, 0x9829, 0xD865,
    0xDDB6, 0x98E2, 0x4B33, 0x9929, 0x99A7, 0x99C2, 0x99FE, 0x4BCE, 0xD866, 0xDF30, 0x9B12, 0x9C40,
    0x9CFD, 0x4CCE, 0x4CED, 0x9D67, 0xD868, 0xDCCE, 0x4CF8, 0xD868, 0xDD05, 0xD868, 0xDE0E, 0xD868,
    0xDE91, 0x9EBB, 0x4D56, 0x9EF9, 0x9EFE, 0x9F05, 0x9F0F, 0x9F16, 0x9F3B, 0xD869, 0xDE00,
};

static MTL__UC_UNUSED unsigned mtl__uc_flags(uint32_t cp)
{
    uint32_t i;
    if (cp >= 0x110000u) return 0u;
    i = (uint32_t)mtl__uc_flags_top[cp >> 9];
    i = (uint32_t)mtl__uc_flags_mid[(i << 5) | ((cp >> 4) & 0x1Fu)];
    return (unsigned)mtl__uc_flags_data[(i << 4) | (cp & 0xFu)];
}

static MTL__UC_UNUSED unsigned mtl__uc_gcb(uint32_t cp)
{
    uint32_t i;
    if (cp >= 0x110000u) return 0u;
    i = (uint32_t)mtl__uc_gcb_top[cp >> 9];
    i = (uint32_t)mtl__uc_gcb_mid[(i << 5) | ((cp >> 4) & 0x1Fu)];
    return (unsigned)mtl__uc_gcb_data[(i << 4) | (cp & 0xFu)];
}

static MTL__UC_UNUSED int mtl__uc_lower(uint32_t cp, uint32_t out[3])
{
    uint32_t lo = 0u, hi = 185u, i;
    out[0] = cp;
    if (!(mtl__uc_flags(cp) & MTL__UC_LOWER)) return 1;
    for (i = 0u; i < 1u; i++) {
        if (mtl__uc_lower_multi[i][0] == cp) {
            int n = 0;
            while (n < 3 && mtl__uc_lower_multi[i][n + 1] != 0u) {
                out[n] = mtl__uc_lower_multi[i][n + 1];
                n++;
            }
            return n;
        }
    }
    /* runs: bits 0-20 first cp, 21-28 count-1, 29-30 step-1 */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        if ((mtl__uc_lower_runs[mid] & 0x1FFFFFu) <= cp) lo = mid + 1u; else hi = mid;
    }
    if (lo > 0u) {
        uint32_t run = mtl__uc_lower_runs[lo - 1u];
        uint32_t off = cp - (run & 0x1FFFFFu);
        uint32_t count = ((run >> 21) & 0xFFu) + 1u, step = ((run >> 29) & 3u) + 1u;
        if (off % step == 0u && off / step < count)
            out[0] = (uint32_t)((int32_t)cp + mtl__uc_lower_delta[lo - 1u]);
    }
    return 1;
}

static MTL__UC_UNUSED int mtl__uc_nfd(uint32_t cp, uint32_t out[MTL__UC_NFD_MAX])
{
    uint32_t lo = 0u, hi = 2060u; /* the last index entry is a sentinel */
    out[0] = cp;
    if (!(mtl__uc_flags(cp) & MTL__UC_NFD)) return 1;
    if (cp - 0xAC00u < 11172u) { /* Hangul syllable: L V (T) */
        uint32_t s = cp - 0xAC00u, t = s % 28u;
        out[0] = 0x1100u + s / 588u;
        out[1] = 0x1161u + (s % 588u) / 28u;
        if (t == 0u) return 2;
        out[2] = 0x11A7u + t;
        return 3;
    }
    /* index: (cp << 14) | offset into the UTF-16 pool */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        uint32_t key = mtl__uc_nfd_index[mid] >> 14;
        if (key == cp) {
            uint32_t p = mtl__uc_nfd_index[mid] & 0x3FFFu;
            uint32_t end = mtl__uc_nfd_index[mid + 1u] & 0x3FFFu;
            int n = 0;
            while (p < end && n < MTL__UC_NFD_MAX) {
                uint32_t u = (uint32_t)mtl__uc_nfd_pool[p++];
                if (u - 0xD800u < 0x400u && p < end)
                    u = 0x10000u + ((u - 0xD800u) << 10) + ((uint32_t)mtl__uc_nfd_pool[p++] - 0xDC00u);
                out[n++] = u;
            }
            return n;
        }
        if (key < cp) lo = mid + 1u; else hi = mid;
    }
    return 1;
}
/* static table data: 45642 bytes */
/* MTL_UNICODE_TABLES_END */

/* HF's is_chinese_char: exactly these ranges (note 2B920, not Google's 2B820). */
static int mtl__is_cjk(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}
/* BertPreTokenizer's punctuation: ASCII 33-47, 58-64, 91-96, 123-126, or General Category P* (8.0). */
static int mtl__is_punct(uint32_t c) {
    if (c < 128) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    return (mtl__uc_flags(c) & MTL__UC_PUNCT) != 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* JSON reader: parses a whole document into a flat node array; values are read on demand.        */
/* ---------------------------------------------------------------------------------------------- */
#ifndef MTL__JSON_DEFINED
#define MTL__JSON_DEFINED
enum { MTL__J_NULL, MTL__J_FALSE, MTL__J_TRUE, MTL__J_NUM, MTL__J_STR, MTL__J_ARR, MTL__J_OBJ };
typedef struct mtl__jnode {
    int type;
    int next;            /* next sibling, -1 at the end                                  */
    int child;           /* first child (arrays, objects), -1 if none                       */
    int count;           /* number of children                                           */
    size_t start, end;   /* the value's text (strings: inside the quotes)                  */
    size_t kstart, kend; /* for members of an object: the key's text inside the quotes      */
} mtl__jnode;
typedef struct mtl__json {
    const char *s;
    size_t len, pos;
    mtl__jnode *nodes;
    int n, cap;
    const char *error;
} mtl__json;

#define MTL__JSON_MAX_DEPTH 64

static void mtl__json_ws(mtl__json *j) {
    while (j->pos < j->len && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' || j->s[j->pos] == '\n' || j->s[j->pos] == '\r')) j->pos++;
}
static int mtl__json_new(mtl__json *j, int type) {
    if (j->n == j->cap) {
        int nc = j->cap ? j->cap * 2 : 256;
        mtl__jnode *nn;
        if (nc > (1 << 26)) { j->error = "too many values"; return -1; }
        nn = (mtl__jnode *)MTL_REALLOC(j->nodes, (size_t)nc * sizeof *nn);
        if (!nn) { j->error = "out of memory"; return -1; }
        j->nodes = nn;
        j->cap = nc;
    }
    memset(&j->nodes[j->n], 0, sizeof j->nodes[0]);
    j->nodes[j->n].type = type;
    j->nodes[j->n].next = j->nodes[j->n].child = -1;
    return j->n++;
}
/* Scans a string starting at the opening quote; on success pos is after the closing quote. */
static int mtl__json_scan_str(mtl__json *j, size_t *start, size_t *end) {
    size_t p = j->pos + 1;
    while (p < j->len) {
        unsigned char c = (unsigned char)j->s[p];
        if (c == '"') { *start = j->pos + 1; *end = p; j->pos = p + 1; return 1; }
        if (c < 0x20) { j->error = "control character in string"; return 0; }
        if (c == '\\') {
            if (p + 1 >= j->len) break;
            c = (unsigned char)j->s[p + 1];
            if (c == 'u') {
                int k;
                for (k = 0; k < 4; k++) {
                    char h = p + 2 + (size_t)k < j->len ? j->s[p + 2 + (size_t)k] : 0;
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) { j->error = "bad \\u escape"; return 0; }
                }
                p += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", (char)c) || c == 0) { j->error = "bad escape"; return 0; }
            p += 2;
            continue;
        }
        p++;
    }
    j->error = "unterminated string";
    return 0;
}
static int mtl__json_value(mtl__json *j, int depth) {
    int id;
    char c;
    mtl__json_ws(j);
    if (j->pos >= j->len) { j->error = "unexpected end"; return -1; }
    if (depth > MTL__JSON_MAX_DEPTH) { j->error = "nested too deeply"; return -1; }
    c = j->s[j->pos];
    if (c == '{' || c == '[') {
        int is_obj = c == '{', last = -1;
        id = mtl__json_new(j, is_obj ? MTL__J_OBJ : MTL__J_ARR);
        if (id < 0) return -1;
        j->nodes[id].start = j->pos++;
        mtl__json_ws(j);
        if (j->pos < j->len && j->s[j->pos] == (is_obj ? '}' : ']')) {
            j->nodes[id].end = ++j->pos;
            return id;
        }
        for (;;) {
            size_t ks = 0, ke = 0;
            int v;
            if (is_obj) {
                mtl__json_ws(j);
                if (j->pos >= j->len || j->s[j->pos] != '"') { j->error = "expected a key"; return -1; }
                if (!mtl__json_scan_str(j, &ks, &ke)) return -1;
                mtl__json_ws(j);
                if (j->pos >= j->len || j->s[j->pos] != ':') { j->error = "expected ':'"; return -1; }
                j->pos++;
            }
            v = mtl__json_value(j, depth + 1);
            if (v < 0) return -1;
            j->nodes[v].kstart = ks;
            j->nodes[v].kend = ke;
            if (last < 0) j->nodes[id].child = v; else j->nodes[last].next = v;
            last = v;
            j->nodes[id].count++;
            mtl__json_ws(j);
            if (j->pos >= j->len) { j->error = "unexpected end"; return -1; }
            if (j->s[j->pos] == ',') { j->pos++; continue; }
            if (j->s[j->pos] == (is_obj ? '}' : ']')) { j->nodes[id].end = ++j->pos; return id; }
            j->error = is_obj ? "expected ',' or '}'" : "expected ',' or ']'";
            return -1;
        }
    }
    if (c == '"') {
        size_t s0, s1;
        if (!mtl__json_scan_str(j, &s0, &s1)) return -1;
        id = mtl__json_new(j, MTL__J_STR);
        if (id < 0) return -1;
        j->nodes[id].start = s0;
        j->nodes[id].end = s1;
        return id;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        size_t p = j->pos;
        if (j->s[p] == '-') p++;
        if (p >= j->len || !(j->s[p] >= '0' && j->s[p] <= '9')) { j->error = "bad number"; return -1; }
        while (p < j->len && ((j->s[p] >= '0' && j->s[p] <= '9') || j->s[p] == '.' || j->s[p] == 'e' || j->s[p] == 'E' || j->s[p] == '+' || j->s[p] == '-')) p++;
        id = mtl__json_new(j, MTL__J_NUM);
        if (id < 0) return -1;
        j->nodes[id].start = j->pos;
        j->nodes[id].end = p;
        j->pos = p;
        return id;
    }
    {
        static const char *const words[3] = {"null", "false", "true"};
        int k;
        for (k = 0; k < 3; k++) {
            size_t wl = strlen(words[k]);
            if (j->len - j->pos >= wl && memcmp(j->s + j->pos, words[k], wl) == 0) {
                id = mtl__json_new(j, k == 0 ? MTL__J_NULL : k == 1 ? MTL__J_FALSE : MTL__J_TRUE);
                if (id < 0) return -1;
                j->nodes[id].start = j->pos;
                j->pos += wl;
                j->nodes[id].end = j->pos;
                return id;
            }
        }
    }
    j->error = "unexpected character";
    return -1;
}
/* Parses s[0..len). Returns 0 on success (root is node 0); on failure sets *where to the byte offset. */
static int mtl__json_parse(mtl__json *j, const char *s, size_t len) {
    memset(j, 0, sizeof *j);
    j->s = s;
    j->len = len;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) j->pos = 3;
    if (mtl__json_value(j, 0) < 0) return -1;
    mtl__json_ws(j);
    if (j->pos != j->len) { j->error = "trailing characters"; return -1; }
    return 0;
}
static void mtl__json_free(mtl__json *j) {
    MTL_FREE(j->nodes);
    j->nodes = NULL;
}
/* Member `key` of object node `obj`, or -1. Keys are compared as raw text. */
static int mtl__json_get(const mtl__json *j, int obj, const char *key) {
    int c;
    size_t kl = strlen(key);
    if (obj < 0 || j->nodes[obj].type != MTL__J_OBJ) return -1;
    for (c = j->nodes[obj].child; c >= 0; c = j->nodes[c].next) {
        const mtl__jnode *n = &j->nodes[c];
        if (n->kend - n->kstart == kl && memcmp(j->s + n->kstart, key, kl) == 0) return c;
    }
    return -1;
}
static int mtl__json_type(const mtl__json *j, int node) { return node < 0 ? -1 : j->nodes[node].type; }
/* Boolean member: 1 true, 0 false, `dflt` when absent or null, -2 when another type. */
static int mtl__json_bool(const mtl__json *j, int obj, const char *key, int dflt) {
    int t = mtl__json_type(j, mtl__json_get(j, obj, key));
    return t == MTL__J_TRUE ? 1 : t == MTL__J_FALSE ? 0 : (t < 0 || t == MTL__J_NULL) ? dflt : -2;
}
static int mtl__json_number(const mtl__json *j, int node, double *out) {
    char buf[64];
    size_t l;
    char *end;
    if (mtl__json_type(j, node) != MTL__J_NUM) return 0;
    l = j->nodes[node].end - j->nodes[node].start;
    if (l >= sizeof buf) return 0;
    memcpy(buf, j->s + j->nodes[node].start, l);
    buf[l] = 0;
    *out = strtod(buf, &end);
    return end == buf + l;
}
/* Integer value within [lo, hi] (|lo|, |hi| <= 2^53). mtl__json_int is for ranges that fit a 32-bit long. */
static int mtl__json_i64(const mtl__json *j, int node, int64_t lo, int64_t hi, int64_t *out) {
    double d;
    if (!mtl__json_number(j, node, &d) || d != floor(d) || d < (double)lo || d > (double)hi) return 0;
    *out = (int64_t)d;
    return 1;
}
static int mtl__json_int(const mtl__json *j, int node, long lo, long hi, long *out) {
    int64_t v;
    if (!mtl__json_i64(j, node, lo, hi, &v)) return 0;
    *out = (long)v;
    return 1;
}
static unsigned mtl__hexval(char h) {
    return (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
}
/* Decodes the escaped string text s[p, e) (already validated by the parser) into out (capacity cap, no
   NUL added); returns the decoded length, or (size_t)-1 if cap is too small. A decoded string is never
   longer than its escaped text. */
static size_t mtl__json_unescape_range(const char *s, size_t p, size_t e, char *out, size_t cap) {
    size_t n = 0;
    while (p < e) {
        unsigned char c = (unsigned char)s[p];
        unsigned char tmp[4];
        int k, m = 1;
        if (c != '\\') { tmp[0] = c; p++; }
        else {
            char x = s[p + 1];
            p += 2;
            switch (x) {
            case 'b': tmp[0] = '\b'; break;
            case 'f': tmp[0] = '\f'; break;
            case 'n': tmp[0] = '\n'; break;
            case 'r': tmp[0] = '\r'; break;
            case 't': tmp[0] = '\t'; break;
            case 'u': {
                uint32_t u = (mtl__hexval(s[p]) << 12) | (mtl__hexval(s[p + 1]) << 8) | (mtl__hexval(s[p + 2]) << 4) | mtl__hexval(s[p + 3]);
                p += 4;
                if (u >= 0xD800 && u <= 0xDBFF && p + 6 <= e && s[p] == '\\' && s[p + 1] == 'u') {
                    uint32_t lo = (mtl__hexval(s[p + 2]) << 12) | (mtl__hexval(s[p + 3]) << 8) | (mtl__hexval(s[p + 4]) << 4) | mtl__hexval(s[p + 5]);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) { u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00); p += 6; }
                }
                if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD; /* lone surrogate */
                m = mtl__utf8_put(u, tmp);
                break;
            }
            default: tmp[0] = (unsigned char)x; break;
            }
        }
        if (n + (size_t)m > cap) return (size_t)-1;
        for (k = 0; k < m; k++) out[n++] = (char)tmp[k];
    }
    return n;
}
static size_t mtl__json_unescape(const mtl__json *j, int node, char *out, size_t cap) {
    return mtl__json_unescape_range(j->s, j->nodes[node].start, j->nodes[node].end, out, cap);
}
/* Member string copied (decoded, NUL-terminated) into a fresh MTL_MALLOC block, or NULL. */
static char *mtl__json_strdup(const mtl__json *j, int node, size_t *len) {
    size_t cap, n;
    char *s;
    if (mtl__json_type(j, node) != MTL__J_STR) return NULL;
    cap = j->nodes[node].end - j->nodes[node].start;
    s = (char *)MTL_MALLOC(cap + 1);
    if (!s) return NULL;
    n = mtl__json_unescape(j, node, s, cap);
    s[n] = 0;
    if (len) *len = n;
    return s;
}
/* 1 if string node equals lit. */
static int mtl__json_streq(const mtl__json *j, int node, const char *lit) {
    size_t l = strlen(lit);
    return mtl__json_type(j, node) == MTL__J_STR && j->nodes[node].end - j->nodes[node].start == l &&
           memcmp(j->s + j->nodes[node].start, lit, l) == 0;
}
/* Line and column of byte offset pos, for error messages. */
static void mtl__line_col(const char *s, size_t pos, size_t len, unsigned *line, unsigned *col) {
    size_t i;
    *line = 1; *col = 1;
    for (i = 0; i < pos && i < len; i++) {
        if (s[i] == '\n') { (*line)++; *col = 1; } else (*col)++;
    }
}
#endif /* MTL__JSON_DEFINED */

/* ---------------------------------------------------------------------------------------------- */
/* The tokenizer object                                                                           */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__added {
    int32_t id;
    uint32_t off, len;   /* content in the string pool */
    int32_t lstrip, rstrip;
} mtl__added;

/* One template item: a special token (id >= 0) or a sequence (id = -1: A, -2: B), with a type id. */
typedef struct mtl__titem { int32_t id; int32_t type_id; } mtl__titem;
#define MTL__TMAX 8

/* THE TOKENIZER IMAGE. Everything a tokenizer reads at run time is one flat block of 32-bit words
   (native byte order), used in place: the loaders build it on the heap, weights_convert stores it
   in the model file (mtl_bert.h: tensor mtl.tokenizer.index), and mtl_tokenizer_from_image reads it
   there - from the mapped file or from flash - with no allocation.
     header   MTL__TI_WORDS words: magic, version, sizes, the resolved options, special ids, template
     then, each 4-byte aligned:
       tok_off[n_vocab], tok_len[n_vocab]  id -> its string in the pool (MTL__NONE: no token)
       node_id[n_nodes]                    the trie: the token id that ends at a node, or -1
       first[n_nodes + 1]                  the children of node k are nodes first[k] .. first[k+1]-1,
       root_child[2][256]                    in the order of their edge byte ebyte[child]; the two
       added[n_added]                        roots' children also by byte; added tokens longest first
       ebyte[n_nodes], pool[pool_len], strs[strs_len]   bytes: edge bytes, the token strings and the
                                           six names (unk cls sep pad mask prefix), each NUL-terminated
       byte_id[256]                        BPE only: the id of the token of each byte's byte-level char
       merges[n_slots][4]                  BPE only: the merge ranks, an open-addressing hash (linear
                                           probing, n_slots a power of two) of (left id, right id, rank,
                                           merged id); an empty slot has left id MTL__NONE
       (Unigram: byte_id[256] holds the ids of the byte_fallback pieces "<0xXX>", or -1)
       scores[n_vocab]                     Unigram only: each piece's score, an IEEE double (read with
                                           memcpy: the image is only 4-byte aligned)
       charsmap[charsmap_len]              Unigram only: the Precompiled normalizer's precompiled_charsmap
                                           as tokenizer.json holds it (base64-decoded): a little-endian
                                           u32 trie size, the Darts double array, the replacement strings
   Version 1 (WordPiece only) had the header without the MTL__TI_MODEL words; it is still read.
   The trie has two roots: node 0 for word starts (every token), node 1 for continuations (tokens
   that begin with the prefix "##", prefix removed). Nodes are numbered breadth-first, so the
   children of a node are contiguous and sorted: a lookup is a binary search over a few bytes. */
enum {
    MTL__TI_MAGIC, MTL__TI_VERSION, MTL__TI_BYTES, MTL__TI_NVOCAB, MTL__TI_POOL, MTL__TI_NODES, MTL__TI_NADDED,
    MTL__TI_STRS,
    MTL__TI_OPT,                             /* 6: lowercase strip_accents chinese clean (+1/-1), max_chars, no_added */
    MTL__TI_IDS = MTL__TI_OPT + 6,           /* 5: unk cls sep pad mask (-1: none)                                  */
    MTL__TI_NAMES = MTL__TI_IDS + 5,         /* 6 offsets into strs, then their 6 lengths                           */
    MTL__TI_NSINGLE = MTL__TI_NAMES + 12, MTL__TI_NPAIR,
    MTL__TI_TEMPLATE,                        /* single: MTL__TMAX x (id, type), then pair: the same                 */
    MTL__TI_FILEOPT = MTL__TI_TEMPLATE + 4 * MTL__TMAX, /* 6: mtl_encode_options of tokenizer.json                  */
    MTL__TI_WORDS_V1 = MTL__TI_FILEOPT + 8,
    MTL__TI_MODEL = MTL__TI_WORDS_V1,        /* 0: WordPiece, 1: byte-level BPE, 2: Unigram                         */
    MTL__TI_BPE,                             /* 8: add_prefix_space use_regex trim_offsets trim_prefix ignore_merges */
                                             /* Unigram: prepend_scheme (0 always, 1 first, 2 never), split (+2:     */
                                             /* WhitespaceSplit first),                                           */
                                             /* byte_fallback, replacement code point, normalizer flags (MTL__UN_*), */
                                             /* Replace(" {2,}") content code point (0: none), decoder (MTL__UD_*)   */
    MTL__TI_NSLOTS = MTL__TI_BPE + 8,        /* merge hash slots (0 for WordPiece)                                  */
    MTL__TI_CMLEN,                           /* Unigram: charsmap bytes (0: no Precompiled normalizer)             */
    MTL__TI_WORDS = MTL__TI_NSLOTS + 4
};
#define MTL__TI_MAGIC_WORD 0x4B4F544Du   /* "MTOK" in little-endian bytes */
#define MTL__TI_VERSION_NOW 2u
#define MTL__MODEL_WORDPIECE 0
#define MTL__MODEL_BPE 1
#define MTL__MODEL_UNIGRAM 2
#define MTL__UN_PRECOMPILED 1u   /* Unigram normalizer flags: Precompiled, then Strip left / right, */
#define MTL__UN_LSTRIP 2u        /* then Replace(" {2,}" -> content)                               */
#define MTL__UN_RSTRIP 4u
#define MTL__UD_NONE 0u          /* Unigram decoders: none (tokens joined by spaces), Metaspace   */
#define MTL__UD_METASPACE 1u     /* (the first token's replacement chars dropped), Metaspace with */
#define MTL__UD_METASPACE_KEEP 2u /* prepend_scheme "never" (kept as spaces), or the Sequence      */
#define MTL__UD_BYTES 3u         /* Replace(replacement -> " "), ByteFallback, Fuse, Strip(" ", 1, 0) */

typedef struct mtl__ti_layout { uint64_t tok_off, tok_len, node_id, first, root_child, added, ebyte, pool, strs, byte_id, merges, scores, charsmap, total; } mtl__ti_layout;
static void mtl__ti_layout_of(uint64_t hdr_words, uint64_t n_vocab, uint64_t n_nodes, uint64_t n_added, uint64_t pool_len,
                              uint64_t strs_len, int model, uint64_t n_slots, uint64_t cm_len, mtl__ti_layout *L) {
    uint64_t o = 4u * hdr_words;
    L->tok_off = o; o += 4 * n_vocab;
    L->tok_len = o; o += 4 * n_vocab;
    L->node_id = o; o += 4 * n_nodes;
    L->first = o; o += 4 * (n_nodes + 1);
    L->root_child = o; o += 4 * 512;
    L->added = o; o += sizeof(mtl__added) * n_added;
    L->ebyte = o; o += (n_nodes + 3) & ~(uint64_t)3;
    L->pool = o; o += (pool_len + 3) & ~(uint64_t)3;
    L->strs = o; o += (strs_len + 3) & ~(uint64_t)3;
    L->byte_id = o; o += model != MTL__MODEL_WORDPIECE ? 4u * 256u : 0u;
    L->merges = o; o += 16u * n_slots;
    L->scores = o; o += model == MTL__MODEL_UNIGRAM ? 8u * n_vocab : 0u;
    L->charsmap = o; o += (cm_len + 3) & ~(uint64_t)3;
    L->total = o;
}

struct mtl_tokenizer {
    int n_vocab;                       /* ids are 0..n_vocab-1 (holes allowed in tokenizer.json)  */
    const char *pool;                  /* every token string, NUL-separated                      */
    size_t pool_len;
    const uint32_t *tok_off;           /* id -> offset in pool (MTL__NONE: no token)              */
    const uint32_t *tok_len;
    const int32_t *node_id;            /* the trie (see THE TOKENIZER IMAGE)                      */
    const uint32_t *first;
    const unsigned char *ebyte;
    uint32_t n_nodes;
    const uint32_t *root_child;        /* [2][256]                                                */
    mtl_tokenizer_options opt;         /* resolved: every field set                              */
    const char *prefix;                /* continuation prefix, "##"                              */
    int32_t unk_id, cls_id, sep_id, pad_id, mask_id;
    const mtl__added *added;
    int n_added;
    unsigned char added_first[32];     /* bitset of first bytes of added tokens                  */
    mtl__titem single[MTL__TMAX], pair[MTL__TMAX];
    int n_single, n_pair;
    mtl_encode_options file_opt;       /* truncation/padding blocks of tokenizer.json            */
    int model;                         /* MTL__MODEL_WORDPIECE, _BPE or _UNIGRAM                  */
    int bpe_prefix_space, bpe_regex, bpe_trim, bpe_trim_prefix, bpe_ignore_merges;
    const int32_t *byte_id;            /* BPE: [256] byte -> token id of its byte-level char (-1)  */
                                       /* Unigram: byte -> id of its "<0xXX>" piece (-1)           */
    int uni_prepend, uni_split, uni_byte_fallback, uni_wsplit;  /* Unigram (see MTL__TI_BPE)   */
    uint32_t uni_repl, uni_norm, uni_collapse, uni_dec;
    const unsigned char *uni_scores;   /* Unigram: [n_vocab] doubles (memcpy: 4-byte aligned)      */
    double uni_unk_score;              /* the lowest score - 10 (HF's K_UNK_PENALTY)               */
    const unsigned char *cm_units;     /* Precompiled: the double array (little-endian u32 units) */
    uint32_t cm_n;                     /* its units (0: no Precompiled normalizer)                */
    const unsigned char *cm_str;       /* the replacement strings, NUL-separated                  */
    uint32_t cm_str_len;
    unsigned char cm_ascii[32];        /* ASCII byte b: bit b of [0, 16) some key starts with it, of */
                                       /* [16, 32) it alone is a key (else no lookup is needed)     */
    const uint32_t *merges;            /* BPE: [n_slots][4] (left, right, rank, merged id)        */
    uint32_t slot_mask;                /* n_slots - 1 (n_slots = 0: no merges, slot_mask unused)  */
    uint32_t n_slots;
    const uint32_t *image;             /* the image all of the above points into                  */
    size_t image_len;
    void *own_image;                   /* MTL_MALLOC'd image, or NULL (the caller's, in place)    */
    int own_self;                      /* this struct was MTL_MALLOC'd                            */
};

#define MTL__NONE 0xFFFFFFFFu

static uint32_t mtl__child(const mtl_tokenizer *t, uint32_t node, unsigned char b) {
    uint32_t lo, hi;
    if (node < 2) return t->root_child[node * 256u + b];
    lo = t->first[node];
    hi = t->first[node + 1];
    while (lo < hi) {   /* the children's edge bytes are sorted */
        uint32_t mid = lo + (hi - lo) / 2;
        unsigned char e = t->ebyte[mid];
        if (e == b) return mid;
        if (e < b) lo = mid + 1;
        else hi = mid;
    }
    return MTL__NONE;
}
static int32_t mtl__trie_find(const mtl_tokenizer *t, uint32_t root, const unsigned char *s, size_t n) {
    uint32_t node = root;
    size_t i;
    for (i = 0; i < n && node != MTL__NONE; i++) node = mtl__child(t, node, s[i]);
    return node == MTL__NONE ? -1 : t->node_id[node];
}

MTLDEF void mtl_tokenizer_free(mtl_tokenizer *t) {
    if (!t) return;
    MTL_FREE(t->own_image);
    if (t->own_self) MTL_FREE(t);
}
/* The vocabulary as loaded from a file, before the tokenizer is built. */
typedef struct mtl__vocab {
    char *pool;          /* strings back to back, NUL-terminated each */
    size_t pool_len, pool_cap;
    uint32_t *off, *len; /* per id; off = MTL__NONE for a hole */
    int n, cap;
} mtl__vocab;

static int mtl__vocab_set(mtl__vocab *v, long id, const char *s, size_t n) {
    if (id >= v->cap) {
        int nc = v->cap ? v->cap : 1024, k;
        uint32_t *no, *nl;
        while (nc <= id) nc *= 2;
        no = (uint32_t *)MTL_REALLOC(v->off, (size_t)nc * sizeof *no);
        if (!no) return 0;
        v->off = no;
        nl = (uint32_t *)MTL_REALLOC(v->len, (size_t)nc * sizeof *nl);
        if (!nl) return 0;
        v->len = nl;
        for (k = v->cap; k < nc; k++) v->off[k] = MTL__NONE;
        v->cap = nc;
    }
    if (v->pool_len + n + 1 > v->pool_cap) {
        size_t nc = v->pool_cap ? v->pool_cap : 65536;
        char *np;
        while (nc < v->pool_len + n + 1) nc *= 2;
        if (nc > 0xFFFFFFF0u) return 0;
        np = (char *)MTL_REALLOC(v->pool, nc);
        if (!np) return 0;
        v->pool = np;
        v->pool_cap = nc;
    }
    memcpy(v->pool + v->pool_len, s, n);
    v->pool[v->pool_len + n] = 0;
    v->off[id] = (uint32_t)v->pool_len;
    v->len[id] = (uint32_t)n;
    v->pool_len += n + 1;
    if (id >= v->n) v->n = (int)id + 1;
    return 1;
}
static void mtl__vocab_free(mtl__vocab *v) {
    MTL_FREE(v->pool); MTL_FREE(v->off); MTL_FREE(v->len);
    memset(v, 0, sizeof *v);
}

/* An added token as read from tokenizer.json (content points into the JSON text). */
typedef struct mtl__added_src { const char *s; size_t len; long id; int lstrip, rstrip; } mtl__added_src;

/* Settings gathered from files; options override them. */
typedef struct mtl__settings {
    int lowercase, strip_accents, handle_chinese_chars, clean_text, max_chars; /* -1 = unset */
    const char *unk, *cls, *sep, *pad, *mask, *prefix;                          /* NULL = unset */
    size_t unk_len, cls_len, sep_len, pad_len, mask_len, prefix_len;
    /* tokenizer.json only */
    int has_template;
    mtl__titem single[MTL__TMAX], pair[MTL__TMAX];
    int n_single, n_pair;
    int n_added;
    mtl__added_src *added;          /* MTL_MALLOC'd */
    mtl_encode_options file_opt;
    /* byte-level BPE (model = MTL__MODEL_BPE) */
    int model, bpe[5];              /* bpe: add_prefix_space use_regex trim_offsets trim_prefix ignore_merges */
    const mtl__json *mj;            /* the parsed tokenizer.json and its model.merges array               */
    int merges;
    /* Unigram (model = MTL__MODEL_UNIGRAM) */
    uint32_t uni[7];                /* the MTL__TI_BPE words of the image                                  */
    long uni_unk;                   /* model.unk_id, -1 for null                                           */
    double *scores;                 /* MTL_MALLOC'd, one per piece                                         */
    unsigned char *charsmap;        /* MTL_MALLOC'd, base64-decoded precompiled_charsmap                   */
    size_t charsmap_len;
} mtl__settings;

static int mtl__tri(int opt, int file, int dflt) {
    return opt > 0 ? 1 : opt < 0 ? 0 : file >= 0 ? file : dflt;
}

#ifndef MTL_NO_UNIGRAM
/* The Precompiled normalizer's precompiled_charsmap (SentencePiece): a little-endian u32 trie size, then
   a Darts double array of little-endian u32 units, then the replacement strings. */
static uint32_t mtl__cm_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint32_t mtl__cm_offset(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }
/* One step of a lookup in the n units: from node pos by byte b, the next node (*unit: the unit of the
   edge, whose bit 8 says that a key ends there), or MTL__NONE when there is no such edge. */
static uint32_t mtl__cm_step(const unsigned char *units, uint32_t n, uint32_t pos, unsigned char b, uint32_t *unit) {
    uint32_t u;
    pos ^= b;
    if (pos >= n) return MTL__NONE;
    u = mtl__cm_u32(units + 4 * (size_t)pos);
    if ((u & ((1u << 31) | 0xFFu)) != b) return MTL__NONE;
    *unit = u;
    return pos ^ mtl__cm_offset(u);
}
#endif

/* Points t at a tokenizer image after checking every size, offset, id and link in it against the
   image's length, so a damaged or hostile image is refused and never read out of bounds. */
static mtl_result mtl__ti_bind(mtl_tokenizer *t, const void *image, size_t len, mtl_error *err) {
    const uint32_t *h = (const uint32_t *)image;
    const unsigned char *b = (const unsigned char *)image;
    mtl__ti_layout L;
    uint64_t nv, nn, na, pl, sl, i, k, hw, ns = 0, cm = 0;
    const int32_t *opt;
    const char *names[6];
    int model = MTL__MODEL_WORDPIECE;
#define MTL__TI_BAD(...) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer index: " __VA_ARGS__)
    memset(t, 0, sizeof *t);
    if (!image || ((uintptr_t)image & 3u)) return mtl__err(err, MTL_ERR_ARG, "tokenizer index: NULL or not 4-byte aligned");
    if (len < 4u * MTL__TI_WORDS_V1) MTL__TI_BAD("truncated (%lu bytes)", (unsigned long)len);
    if (h[MTL__TI_MAGIC] != MTL__TI_MAGIC_WORD) {
        if (h[MTL__TI_MAGIC] == 0x4D544F4Bu) return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer index: written on a machine of the other byte order");
        MTL__TI_BAD("bad magic");
    }
    if (h[MTL__TI_VERSION] != 1u && h[MTL__TI_VERSION] != MTL__TI_VERSION_NOW)
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer index: version %u (this mtl reads 1 and %u)", h[MTL__TI_VERSION], MTL__TI_VERSION_NOW);
    hw = h[MTL__TI_VERSION] == 1u ? MTL__TI_WORDS_V1 : MTL__TI_WORDS;
    if (len < 4u * hw) MTL__TI_BAD("truncated (%lu bytes)", (unsigned long)len);
    if (hw == MTL__TI_WORDS) {
        const uint32_t *u = h + MTL__TI_BPE;
        if (h[MTL__TI_MODEL] > MTL__MODEL_UNIGRAM) return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer index: model kind %u", h[MTL__TI_MODEL]);
#ifdef MTL_NO_UNIGRAM
        if (h[MTL__TI_MODEL] == MTL__MODEL_UNIGRAM) return mtl__err(err, MTL_ERR_UNSUPPORTED, "a Unigram tokenizer: this mtl was built with MTL_NO_UNIGRAM");
#endif
        model = (int)h[MTL__TI_MODEL];
        ns = h[MTL__TI_NSLOTS];
        cm = h[MTL__TI_CMLEN];
        if (model == MTL__MODEL_UNIGRAM) {
            if (u[0] > 2 || u[1] > 3 || u[2] > 1 || u[3] == 0 || u[3] > 0x10FFFF || (u[3] >= 0xD800 && u[3] < 0xE000) ||
                u[4] > 7 || u[5] > 0x10FFFF || (u[5] >= 0xD800 && u[5] < 0xE000) || u[6] > MTL__UD_BYTES || u[7] || ns ||
                ((u[4] & MTL__UN_PRECOMPILED) != 0) != (cm != 0) || cm > (1u << 26))
                MTL__TI_BAD("malformed Unigram block");
        } else {
            for (k = 0; k < 8; k++) if (u[k] > (k < 5 ? 1u : 0u)) MTL__TI_BAD("malformed BPE flags");
            if (cm || (model != MTL__MODEL_BPE && (ns || u[0] || u[1] || u[2] || u[3] || u[4]))) MTL__TI_BAD("malformed model block");
        }
        if (ns > (1u << 26) || (ns & (ns - 1)) || h[MTL__TI_NSLOTS + 2] || h[MTL__TI_NSLOTS + 3]) MTL__TI_BAD("malformed model block");
    }
    nv = h[MTL__TI_NVOCAB]; nn = h[MTL__TI_NODES]; na = h[MTL__TI_NADDED]; pl = h[MTL__TI_POOL]; sl = h[MTL__TI_STRS];
    if (nv < 1 || nv > (1u << 24) || nn < 2 || nn > (1u << 28) || na > nv || pl > 0xFFFFFFF0u || sl > (1u << 20)) MTL__TI_BAD("sizes out of range");
    mtl__ti_layout_of(hw, nv, nn, na, pl, sl, model, ns, cm, &L);
    if (L.total != h[MTL__TI_BYTES] || L.total > len) MTL__TI_BAD("its size does not match its counts");
    t->n_vocab = (int)nv;
    t->n_nodes = (uint32_t)nn;
    t->pool = (const char *)(b + L.pool);
    t->pool_len = (size_t)pl;
    t->tok_off = (const uint32_t *)(const void *)(b + L.tok_off);
    t->tok_len = (const uint32_t *)(const void *)(b + L.tok_len);
    t->node_id = (const int32_t *)(const void *)(b + L.node_id);
    t->first = (const uint32_t *)(const void *)(b + L.first);
    t->root_child = (const uint32_t *)(const void *)(b + L.root_child);
    t->added = (const mtl__added *)(const void *)(b + L.added);
    t->ebyte = b + L.ebyte;
    t->n_added = (int)na;
    for (i = 0; i < nv; i++) {
        uint64_t o = t->tok_off[i], n = t->tok_len[i];
        if (o == MTL__NONE) continue;
        if (o + n >= pl || t->pool[o + n] != 0) MTL__TI_BAD("token %lu lies outside the string pool", (unsigned long)i);
    }
    if (t->first[0] != 2 || t->first[nn] != nn) MTL__TI_BAD("malformed trie");
    for (k = 0; k < nn; k++) {   /* children come after their parent, in increasing byte order */
        uint32_t f = t->first[k], e = t->first[k + 1], c;
        if (f > e || e > nn || (f < e && f <= k) || t->node_id[k] < -1 || t->node_id[k] >= (int32_t)nv) MTL__TI_BAD("malformed trie at node %lu", (unsigned long)k);
        for (c = f + 1; c < e; c++) if (t->ebyte[c] <= t->ebyte[c - 1]) MTL__TI_BAD("malformed trie at node %lu", (unsigned long)k);
    }
    for (k = 0; k < 512; k++) {
        uint32_t c = t->root_child[k], r = (uint32_t)(k >> 8);
        if (c != MTL__NONE && (c < t->first[r] || c >= t->first[r + 1] || t->ebyte[c] != (k & 255u))) MTL__TI_BAD("malformed trie roots");
    }
    for (k = 0; k < na; k++) {
        const mtl__added *a = &t->added[k];
        if (a->id < 0 || (uint64_t)a->id >= nv || t->tok_off[a->id] != a->off || t->tok_len[a->id] != a->len || a->len == 0 ||
            (k && a->len > t->added[k - 1].len))
            MTL__TI_BAD("malformed added token %lu", (unsigned long)k);
        t->added_first[(unsigned char)t->pool[a->off] >> 3] |= (unsigned char)(1u << ((unsigned char)t->pool[a->off] & 7));
    }
    for (k = 0; k < 6; k++) {
        uint64_t o = h[MTL__TI_NAMES + k], n = h[MTL__TI_NAMES + 6 + k];
        if (o + n >= sl || b[L.strs + o + n] != 0) MTL__TI_BAD("malformed names");
        names[k] = (const char *)(b + L.strs + o);
    }
    opt = (const int32_t *)(const void *)(h + MTL__TI_OPT);
    for (k = 0; k < 4; k++) if (opt[k] != 1 && opt[k] != -1) MTL__TI_BAD("malformed options");
    if (opt[4] < 1 || opt[4] > MTL_TOKENIZER_MAX_WORD)
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "max_input_chars_per_word %d is above MTL_TOKENIZER_MAX_WORD (%d)", (int)opt[4], MTL_TOKENIZER_MAX_WORD);
    t->opt.lowercase = opt[0]; t->opt.strip_accents = opt[1]; t->opt.handle_chinese_chars = opt[2]; t->opt.clean_text = opt[3];
    t->opt.max_input_chars_per_word = opt[4]; t->opt.no_added_tokens = opt[5] != 0;
    t->opt.unk_token = names[0]; t->opt.cls_token = names[1]; t->opt.sep_token = names[2];
    t->opt.pad_token = names[3]; t->opt.mask_token = names[4]; t->opt.continuing_subword_prefix = names[5];
    t->prefix = names[5];
    {
        const int32_t *ids = (const int32_t *)(const void *)(h + MTL__TI_IDS);
        for (k = 0; k < 5; k++) if (ids[k] < -1 || ids[k] >= (int32_t)nv) MTL__TI_BAD("special token id out of range");
        t->unk_id = ids[0]; t->cls_id = ids[1]; t->sep_id = ids[2]; t->pad_id = ids[3]; t->mask_id = ids[4];
        if ((t->unk_id < 0 && model == MTL__MODEL_WORDPIECE) || t->pad_id < 0) MTL__TI_BAD("no unknown or padding id");
    }
    t->n_single = (int)h[MTL__TI_NSINGLE];
    t->n_pair = (int)h[MTL__TI_NPAIR];
    if (h[MTL__TI_NSINGLE] > MTL__TMAX || h[MTL__TI_NPAIR] > MTL__TMAX) MTL__TI_BAD("malformed template");
    for (k = 0; k < 2 * MTL__TMAX; k++) {
        const int32_t *it = (const int32_t *)(const void *)(h + MTL__TI_TEMPLATE + 2 * k);
        mtl__titem *dst = k < MTL__TMAX ? &t->single[k] : &t->pair[k - MTL__TMAX];
        if (it[0] < -2 || it[0] >= (int32_t)nv || it[1] < 0 || it[1] > 255) MTL__TI_BAD("malformed template");
        dst->id = it[0];
        dst->type_id = it[1];
    }
    {
        const int32_t *fo = (const int32_t *)(const void *)(h + MTL__TI_FILEOPT);
        for (k = 0; k < 6; k++) if (fo[k] < 0 || fo[k] > (1 << 30)) MTL__TI_BAD("malformed file options");
        if (fo[2] > MTL_TRUNCATE_ONLY_SECOND || fo[3] > MTL_PAD_MAX_LENGTH) MTL__TI_BAD("malformed file options");
        t->file_opt.no_special_tokens = fo[0]; t->file_opt.max_length = fo[1];
        t->file_opt.truncation = (mtl_truncation)fo[2]; t->file_opt.padding = (mtl_padding)fo[3];
        t->file_opt.pad_length = fo[4]; t->file_opt.pad_to_multiple_of = fo[5];
    }
    t->model = model;
    if (model != MTL__MODEL_WORDPIECE) {
        t->byte_id = (const int32_t *)(const void *)(b + L.byte_id);
        for (k = 0; k < 256; k++)
            if (t->byte_id[k] < -1 || t->byte_id[k] >= (int32_t)nv || (t->byte_id[k] >= 0 && t->tok_off[t->byte_id[k]] == MTL__NONE))
                MTL__TI_BAD("malformed byte table");
    }
#ifndef MTL_NO_UNIGRAM
    if (model == MTL__MODEL_UNIGRAM) {
        const uint32_t *u = h + MTL__TI_BPE;
        double lo = 0.0;
        t->uni_prepend = (int)u[0]; t->uni_split = (int)(u[1] & 1u); t->uni_wsplit = (int)(u[1] >> 1); t->uni_byte_fallback = (int)u[2];
        t->uni_repl = u[3]; t->uni_norm = u[4]; t->uni_collapse = u[5]; t->uni_dec = u[6];
        t->uni_scores = b + L.scores;
        for (i = 0; i < nv; i++) {   /* HF's min_score: over every piece; unknown characters score it - 10 */
            double x;
            memcpy(&x, t->uni_scores + 8 * i, sizeof x);
            if (!(x >= -1e30 && x <= 1e30)) MTL__TI_BAD("the score of piece %lu is not a finite number", (unsigned long)i);
            if (i == 0 || x < lo) lo = x;
        }
        t->uni_unk_score = lo - 10.0;
        if (cm) {
            const unsigned char *c = b + L.charsmap;
            uint32_t ts = mtl__cm_u32(c);
            if (cm < 8 || ts < 4 || ts % 4 || ts > cm - 4) MTL__TI_BAD("malformed precompiled_charsmap");
            t->cm_units = c + 4;
            t->cm_n = ts / 4;
            t->cm_str = c + 4 + ts;
            t->cm_str_len = (uint32_t)(cm - 4 - ts);
            if (!mtl__utf8_valid((const char *)t->cm_str, t->cm_str_len)) MTL__TI_BAD("precompiled_charsmap: its strings are not UTF-8");
            for (k = 1; k < 128; k++) {   /* the first step of a lookup, done once for ASCII */
                uint32_t un;
                if (mtl__cm_step(t->cm_units, t->cm_n, mtl__cm_offset(mtl__cm_u32(t->cm_units)), (unsigned char)k, &un) == MTL__NONE) continue;
                t->cm_ascii[k >> 3] |= (unsigned char)(1u << (k & 7));
                if ((un >> 8) & 1u) t->cm_ascii[16 + (k >> 3)] |= (unsigned char)(1u << (k & 7));
            }
        }
    }
#endif
    if (model == MTL__MODEL_BPE) {
        t->bpe_prefix_space = (int)h[MTL__TI_BPE]; t->bpe_regex = (int)h[MTL__TI_BPE + 1]; t->bpe_trim = (int)h[MTL__TI_BPE + 2];
        t->bpe_trim_prefix = (int)h[MTL__TI_BPE + 3]; t->bpe_ignore_merges = (int)h[MTL__TI_BPE + 4];
        t->merges = (const uint32_t *)(const void *)(b + L.merges);
        t->n_slots = (uint32_t)ns;
        t->slot_mask = ns ? (uint32_t)ns - 1u : 0u;
        for (k = 0; k < ns; k++) {
            const uint32_t *m = t->merges + 4 * k;
            if (m[0] == MTL__NONE) continue;
            if (m[0] >= nv || m[1] >= nv || m[2] > 0x7FFFFFFFu || m[3] >= nv || t->tok_off[m[3]] == MTL__NONE)
                MTL__TI_BAD("malformed merge %lu", (unsigned long)k);
        }
    }
#undef MTL__TI_BAD
    t->image = h;
    t->image_len = (size_t)L.total;
    return MTL_OK;
}

/* A token of the vocabulary as a trie key: its bytes (the continuation root: without the prefix). */
typedef struct mtl__tkey { const unsigned char *s; uint32_t len; int32_t id; } mtl__tkey;
static int mtl__tkey_cmp(const void *pa, const void *pb) {
    const mtl__tkey *a = (const mtl__tkey *)pa, *b = (const mtl__tkey *)pb;
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->s, b->s, n) : 0;
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* GPT-2's bytes_to_unicode: the printable Latin-1 bytes stand for themselves, the 68 others (0-32,
   127-160, 173) for U+0100.. in byte order. mtl__bl_byte is the inverse (-1: not such a char). */
static uint32_t mtl__bl_char(unsigned b) {
    if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) return b;
    return 256u + (b <= 32 ? b : b <= 160 ? b - 127u + 33u : 67u);
}
static int mtl__bl_byte(uint32_t cp) {
    if ((cp >= 33 && cp <= 126) || (cp >= 161 && cp <= 172) || (cp >= 174 && cp <= 255)) return (int)cp;
    if (cp >= 256 && cp < 256 + 68) {
        uint32_t n = cp - 256;
        return (int)(n <= 32 ? n : n <= 66 ? n - 33 + 127 : 173);
    }
    return -1;
}
static uint32_t mtl__pair_hash(uint32_t a, uint32_t b) {
    uint32_t h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA77u;
    return h ^ (h >> 15);
}
/* The rank and merged id of the pair (a, b); 0 if it is not a merge. */
static int mtl__bpe_merge(const mtl_tokenizer *t, int32_t a, int32_t b, int32_t *rank, int32_t *id) {
    uint32_t i, k;
    if (!t->n_slots) return 0;
    i = mtl__pair_hash((uint32_t)a, (uint32_t)b) & t->slot_mask;
    for (k = 0; k < t->n_slots; k++, i = (i + 1) & t->slot_mask) {   /* bounded: a full (hostile) table ends too */
        const uint32_t *m = t->merges + 4 * (size_t)i;
        if (m[0] == MTL__NONE) return 0;
        if (m[0] == (uint32_t)a && m[1] == (uint32_t)b) { *rank = (int32_t)m[2]; *id = (int32_t)m[3]; return 1; }
    }
    return 0;
}
/* The BPE tables of an image: byte -> id and the merge hash (MTL_MALLOC'd into *slots), from model.merges
   ("a b" strings or [a, b] arrays; rank = position, a pair listed twice keeps its last rank, as HF). */
static mtl_result mtl__bpe_tables(const mtl_tokenizer *tv, const mtl__settings *st, int32_t unk_id, int32_t byte_id[256],
                                  uint32_t **slots, uint32_t *n_slots, mtl_error *err) {
    const mtl__json *j = st->mj;
    int c, count = st->merges >= 0 ? j->nodes[st->merges].count : 0;
    uint32_t ns = 0, mask, rank = 0;
    unsigned b;
    *slots = NULL;
    *n_slots = 0;
    for (b = 0; b < 256; b++) {
        unsigned char u[4];
        int n = mtl__utf8_put(mtl__bl_char(b), u);
        byte_id[b] = mtl__trie_find(tv, 0, u, (size_t)n);
        if (byte_id[b] < 0 && unk_id >= 0)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: BPE with an unk token and a vocabulary without every byte-level char (byte %u)", b);
    }
    if (count <= 0) return MTL_OK;
    if (count > (1 << 24)) return mtl__err(err, MTL_ERR_TOO_LONG, "tokenizer.json: more than 2^24 merges");
    ns = 1;
    while (ns < 2u * (uint32_t)count) ns *= 2;
    mask = ns - 1;
    *slots = (uint32_t *)MTL_MALLOC((size_t)ns * 16u);
    if (!*slots) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memset(*slots, 0xFF, (size_t)ns * 16u);
    *n_slots = ns;
    for (c = j->nodes[st->merges].child; c >= 0; c = j->nodes[c].next, rank++) {
        char buf[2 * 1024 + 2];
        size_t la, lb;
        int32_t ia, ib, im;
        uint32_t i;
        if (mtl__json_type(j, c) == MTL__J_STR) {   /* "a b": exactly one space */
            char *sp;
            la = mtl__json_unescape(j, c, buf, sizeof buf - 1);
            if (la == (size_t)-1 || !(sp = (char *)memchr(buf, ' ', la)) || memchr(sp + 1, ' ', la - (size_t)(sp - buf) - 1))
                return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: merge %u is not \"a b\"", rank);
            lb = la - (size_t)(sp - buf) - 1;
            la = (size_t)(sp - buf);
            memmove(sp, sp + 1, lb);
        } else if (mtl__json_type(j, c) == MTL__J_ARR && j->nodes[c].count == 2 &&
                   mtl__json_type(j, j->nodes[c].child) == MTL__J_STR && mtl__json_type(j, j->nodes[j->nodes[c].child].next) == MTL__J_STR) {
            la = mtl__json_unescape(j, j->nodes[c].child, buf, 1024);
            lb = la == (size_t)-1 ? la : mtl__json_unescape(j, j->nodes[j->nodes[c].child].next, buf + la, 1024);
            if (la == (size_t)-1 || lb == (size_t)-1) return mtl__err(err, MTL_ERR_TOO_LONG, "tokenizer.json: merge %u is too long", rank);
        } else {
            return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: merge %u is neither \"a b\" nor [a, b]", rank);
        }
        ia = mtl__trie_find(tv, 0, (const unsigned char *)buf, la);
        ib = mtl__trie_find(tv, 0, (const unsigned char *)buf + la, lb);
        im = mtl__trie_find(tv, 0, (const unsigned char *)buf, la + lb);
        if (ia < 0 || ib < 0 || im < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: merge %u: a token is not in the vocabulary", rank);
        for (i = mtl__pair_hash((uint32_t)ia, (uint32_t)ib) & mask;; i = (i + 1) & mask) {
            uint32_t *m = *slots + 4 * (size_t)i;
            if (m[0] == MTL__NONE || (m[0] == (uint32_t)ia && m[1] == (uint32_t)ib)) {
                m[0] = (uint32_t)ia; m[1] = (uint32_t)ib; m[2] = rank; m[3] = (uint32_t)im;
                break;
            }
        }
    }
    return MTL_OK;
}

/* Builds the image of a vocabulary + settings (options override the files) and binds it. */
static mtl_result mtl__build(const mtl__vocab *v, mtl__settings *st, const mtl_tokenizer_options *o,
                             mtl_tokenizer **out, mtl_error *err) {
    mtl_tokenizer_options dflt;
    mtl_tokenizer tv, *t = NULL;   /* tv: a view of the trie under construction, for its lookups */
    mtl__tkey *keys = NULL;
    int32_t *node_id = NULL;
    uint32_t *first = NULL, *qlo = NULL, *qhi = NULL, *depth = NULL, hdr[MTL__TI_WORDS], root_child[512];
    unsigned char *ebyte = NULL, *img = NULL;
    mtl__added *added = NULL;
    uint32_t *slots = NULL, n_slots = 0;
    int32_t byte_id[256];
    size_t n0 = 0, n1 = 0, bound = 2, plen, strs_len = 0, i;
    uint32_t n_nodes, k;
    int n_added = 0, pad_found, j;
    int32_t *ids = (int32_t *)(void *)(hdr + MTL__TI_IDS), *opt = (int32_t *)(void *)(hdr + MTL__TI_OPT);
    const char *names[6];
    size_t lens[6];
    mtl__ti_layout L;
    mtl_result r = MTL_ERR_NOMEM;
    static const char *const defaults[6] = {"[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "##"};

    if (!o) { memset(&dflt, 0, sizeof dflt); o = &dflt; }
    *out = NULL;
    if (v->n == 0) return mtl__err(err, MTL_ERR_FORMAT, "the vocabulary is empty");
    if (st->model != MTL__MODEL_WORDPIECE && (o->lowercase > 0 || o->strip_accents > 0 || o->handle_chinese_chars > 0 ||
                                              o->clean_text > 0 || o->max_input_chars_per_word > 0 || o->continuing_subword_prefix))
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: the WordPiece options (lowercase, strip_accents, "
                        "handle_chinese_chars, clean_text, max_input_chars_per_word, continuing_subword_prefix) do not apply",
                        st->model == MTL__MODEL_BPE ? "byte-level BPE" : "Unigram");
    if (st->model == MTL__MODEL_UNIGRAM && !o->unk_token) {   /* the unk piece is model.unk_id's */
        if (st->uni_unk >= 0) { st->unk = v->pool + v->off[st->uni_unk]; st->unk_len = v->len[st->uni_unk]; }
        else { st->unk = ""; st->unk_len = 0; }
    }
    memset(hdr, 0, sizeof hdr);
    /* resolve flags: option > file > HF BertTokenizer default */
    opt[0] = mtl__tri(o->lowercase, st->lowercase, 1) ? 1 : -1;
    opt[1] = mtl__tri(o->strip_accents, st->strip_accents, opt[0] > 0) ? 1 : -1;
    opt[2] = mtl__tri(o->handle_chinese_chars, st->handle_chinese_chars, 1) ? 1 : -1;
    opt[3] = mtl__tri(o->clean_text, st->clean_text, 1) ? 1 : -1;
    opt[4] = o->max_input_chars_per_word > 0 ? o->max_input_chars_per_word : st->max_chars > 0 ? st->max_chars : 100;
    opt[5] = o->no_added_tokens != 0;
    if (opt[4] > MTL_TOKENIZER_MAX_WORD)
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "max_input_chars_per_word %d is above MTL_TOKENIZER_MAX_WORD (%d)",
                        (int)opt[4], MTL_TOKENIZER_MAX_WORD);
    {
        const char *ov[6], *fv[6];
        size_t fl[6];
        ov[0] = o->unk_token; ov[1] = o->cls_token; ov[2] = o->sep_token; ov[3] = o->pad_token; ov[4] = o->mask_token;
        ov[5] = o->continuing_subword_prefix;
        fv[0] = st->unk; fv[1] = st->cls; fv[2] = st->sep; fv[3] = st->pad; fv[4] = st->mask; fv[5] = st->prefix;
        fl[0] = st->unk_len; fl[1] = st->cls_len; fl[2] = st->sep_len; fl[3] = st->pad_len; fl[4] = st->mask_len; fl[5] = st->prefix_len;
        for (j = 0; j < 6; j++) {
            if (ov[j]) { names[j] = ov[j]; lens[j] = strlen(ov[j]); }
            else if (fv[j]) { names[j] = fv[j]; lens[j] = fl[j]; }
            else { names[j] = defaults[j]; lens[j] = strlen(defaults[j]); }
            if (lens[j] > 4096) return mtl__err(err, MTL_ERR_UNSUPPORTED, "special token name longer than 4096 bytes");
            hdr[MTL__TI_NAMES + j] = (uint32_t)strs_len;
            hdr[MTL__TI_NAMES + 6 + j] = (uint32_t)lens[j];
            strs_len += lens[j] + 1;
        }
    }
    plen = lens[5];

    /* the trie keys, sorted: every token under root 0, the prefixed ones without it under root 1 */
    for (i = 0; i < (size_t)v->n; i++) {
        if (v->off[i] == MTL__NONE) continue;
        n0++;
        bound += v->len[i];
        if (plen && v->len[i] >= plen && memcmp(v->pool + v->off[i], names[5], plen) == 0) { n1++; bound += v->len[i] - plen; }
    }
    if (bound >= (1u << 26)) return mtl__err(err, MTL_ERR_UNSUPPORTED, "vocabulary too large");
    keys = (mtl__tkey *)MTL_MALLOC((n0 + n1 + 1) * sizeof *keys);
    node_id = (int32_t *)MTL_MALLOC(bound * sizeof *node_id);
    first = (uint32_t *)MTL_MALLOC((bound + 1) * sizeof *first);
    qlo = (uint32_t *)MTL_MALLOC(bound * sizeof *qlo);
    qhi = (uint32_t *)MTL_MALLOC(bound * sizeof *qhi);
    depth = (uint32_t *)MTL_MALLOC(bound * sizeof *depth);
    ebyte = (unsigned char *)MTL_MALLOC(bound);
    added = (mtl__added *)MTL_MALLOC(sizeof *added * (size_t)(st->n_added + 5));
    if (!keys || !node_id || !first || !qlo || !qhi || !depth || !ebyte || !added) { mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
    n0 = n1 = 0;
    for (i = 0; i < (size_t)v->n; i++) {
        const unsigned char *s = (const unsigned char *)v->pool + v->off[i];
        if (v->off[i] == MTL__NONE) continue;
        keys[n0].s = s; keys[n0].len = v->len[i]; keys[n0].id = (int32_t)i;
        n0++;
    }
    for (i = 0; i < n0; i++)
        if (plen && keys[i].len >= plen && memcmp(keys[i].s, names[5], plen) == 0) {
            mtl__tkey *kk = &keys[n0 + n1++];
            kk->s = keys[i].s + plen; kk->len = keys[i].len - (uint32_t)plen; kk->id = keys[i].id;
        }
    qsort(keys, n0, sizeof *keys, mtl__tkey_cmp);
    qsort(keys + n0, n1, sizeof *keys, mtl__tkey_cmp);
    /* breadth-first: node k covers the keys [qlo, qhi) that share its depth-byte prefix; keys that end
       there give its id (a duplicated token: its last id, as HF), the others split by their next byte */
    node_id[0] = node_id[1] = -1;
    ebyte[0] = ebyte[1] = 0;
    qlo[0] = 0; qhi[0] = (uint32_t)n0; qlo[1] = (uint32_t)n0; qhi[1] = (uint32_t)(n0 + n1);
    depth[0] = depth[1] = 0;
    n_nodes = 2;
    for (k = 0; k < n_nodes; k++) {
        uint32_t a = qlo[k], e = qhi[k], d = depth[k];
        first[k] = n_nodes;
        for (; a < e && keys[a].len == d; a++) if (keys[a].id > node_id[k]) node_id[k] = keys[a].id;
        while (a < e) {
            unsigned char c = keys[a].s[d];
            uint32_t z = a + 1, nd = n_nodes++;
            while (z < e && keys[z].s[d] == c) z++;
            node_id[nd] = -1; ebyte[nd] = c; qlo[nd] = a; qhi[nd] = z; depth[nd] = d + 1;
            a = z;
        }
    }
    first[n_nodes] = n_nodes;
    memset(root_child, 0xFF, sizeof root_child);
    for (k = 0; k < 2; k++) {
        uint32_t c;
        for (c = first[k]; c < first[k + 1]; c++) root_child[k * 256u + ebyte[c]] = c;
    }
    memset(&tv, 0, sizeof tv);
    tv.node_id = node_id; tv.first = first; tv.ebyte = ebyte; tv.root_child = root_child; tv.n_nodes = n_nodes;
    for (j = 0; j < 5; j++) ids[j] = mtl__trie_find(&tv, 0, (const unsigned char *)names[j], lens[j]);
    if (st->model == MTL__MODEL_UNIGRAM && !o->unk_token) ids[0] = (int32_t)st->uni_unk;   /* by id (-1: none) */
    else if (st->model != MTL__MODEL_WORDPIECE && lens[0] == 0) ids[0] = -1;   /* BPE without an unk token */
    else if (ids[0] < 0) { mtl__err(err, MTL_ERR_FORMAT, "the unknown token '%.*s' is not in the vocabulary", (int)lens[0], names[0]); r = MTL_ERR_FORMAT; goto done; }
    pad_found = ids[3] >= 0;
    if (ids[3] < 0) ids[3] = 0; /* HF pads with id 0 when [PAD] is missing */

    /* template */
    if (st->has_template) {
        hdr[MTL__TI_NSINGLE] = (uint32_t)st->n_single;
        hdr[MTL__TI_NPAIR] = (uint32_t)st->n_pair;
        for (j = 0; j < MTL__TMAX; j++) {
            hdr[MTL__TI_TEMPLATE + 2 * j] = (uint32_t)st->single[j].id; hdr[MTL__TI_TEMPLATE + 2 * j + 1] = (uint32_t)st->single[j].type_id;
            hdr[MTL__TI_TEMPLATE + 2 * (MTL__TMAX + j)] = (uint32_t)st->pair[j].id; hdr[MTL__TI_TEMPLATE + 2 * (MTL__TMAX + j) + 1] = (uint32_t)st->pair[j].type_id;
        }
    } else {
        static const int single[3] = {1, -1, 2}, pair[5] = {1, -1, 2, -2, 2}, pair_type[5] = {0, 0, 0, 1, 1};
        if (ids[1] < 0 || ids[2] < 0) {
            mtl__err(err, MTL_ERR_FORMAT, "'%.*s' or '%.*s' is not in the vocabulary", (int)lens[1], names[1], (int)lens[2], names[2]);
            r = MTL_ERR_FORMAT;
            goto done;
        }
        hdr[MTL__TI_NSINGLE] = 3;
        hdr[MTL__TI_NPAIR] = 5;
        for (j = 0; j < 3; j++) hdr[MTL__TI_TEMPLATE + 2 * j] = (uint32_t)(single[j] > 0 ? ids[single[j]] : single[j]);
        for (j = 0; j < 5; j++) {
            hdr[MTL__TI_TEMPLATE + 2 * (MTL__TMAX + j)] = (uint32_t)(pair[j] > 0 ? ids[pair[j]] : pair[j]);
            hdr[MTL__TI_TEMPLATE + 2 * (MTL__TMAX + j) + 1] = (uint32_t)pair_type[j];
        }
    }

    /* added tokens: from tokenizer.json, else the special tokens that are in the vocabulary */
    if (!o->no_added_tokens) {
        if (st->n_added) {
            for (j = 0; j < st->n_added; j++) {
                int32_t id = (int32_t)st->added[j].id;
                if (st->added[j].len == 0) continue;
                if (id < 0 || id >= v->n || v->off[id] == MTL__NONE) {
                    mtl__err(err, MTL_ERR_FORMAT, "added token id %ld is not in the vocabulary", st->added[j].id);
                    r = MTL_ERR_FORMAT;
                    goto done;
                }
                if (v->len[id] == 0) continue;
                if (!memchr(st->added[j].s, '\\', st->added[j].len) &&
                    (st->added[j].len != v->len[id] || memcmp(st->added[j].s, v->pool + v->off[id], st->added[j].len))) {
                    mtl__err(err, MTL_ERR_UNSUPPORTED, "added token id %ld: its content differs from the vocabulary entry", st->added[j].id);
                    r = MTL_ERR_UNSUPPORTED;
                    goto done;
                }
                added[n_added].id = id;
                added[n_added].lstrip = st->added[j].lstrip;
                added[n_added].rstrip = st->added[j].rstrip;
                n_added++;
            }
        } else {
            int32_t sp[5];
            sp[0] = pad_found ? ids[3] : -1; sp[1] = ids[0]; sp[2] = ids[1]; sp[3] = ids[2]; sp[4] = ids[4];
            for (j = 0; j < 5; j++) {
                int j2, dup = 0;
                if (sp[j] < 0 || v->len[sp[j]] == 0) continue;
                for (j2 = 0; j2 < n_added; j2++) dup |= added[j2].id == sp[j];
                if (dup) continue;
                added[n_added].id = sp[j];
                added[n_added].lstrip = added[n_added].rstrip = 0;
                n_added++;
            }
        }
    }
    /* added tokens point at their vocab strings; sorted longest first (leftmost-longest matching) */
    for (j = 0; j < n_added; j++) { added[j].off = v->off[added[j].id]; added[j].len = v->len[added[j].id]; }
    for (j = 1; j < n_added; j++) {
        mtl__added a = added[j];
        int j2 = j - 1;
        while (j2 >= 0 && added[j2].len < a.len) { added[j2 + 1] = added[j2]; j2--; }
        added[j2 + 1] = a;
    }
    {
        int32_t *fo = (int32_t *)(void *)(hdr + MTL__TI_FILEOPT);
        fo[0] = st->file_opt.no_special_tokens; fo[1] = st->file_opt.max_length; fo[2] = (int32_t)st->file_opt.truncation;
        fo[3] = (int32_t)st->file_opt.padding; fo[4] = st->file_opt.pad_length; fo[5] = st->file_opt.pad_to_multiple_of;
    }

    if (st->model == MTL__MODEL_BPE) {
        if ((r = mtl__bpe_tables(&tv, st, ids[0], byte_id, &slots, &n_slots, err)) != MTL_OK) goto done;
        r = MTL_ERR_NOMEM;
        hdr[MTL__TI_MODEL] = MTL__MODEL_BPE;
        for (j = 0; j < 5; j++) hdr[MTL__TI_BPE + j] = st->bpe[j] > 0;
        hdr[MTL__TI_NSLOTS] = n_slots;
    }
    if (st->model == MTL__MODEL_UNIGRAM) {   /* byte_fallback pieces "<0xXX>" */
        static const char hex[] = "0123456789ABCDEF";
        unsigned b;
        for (b = 0; b < 256; b++) {
            char piece[6];
            piece[0] = '<'; piece[1] = '0'; piece[2] = 'x'; piece[3] = hex[b >> 4]; piece[4] = hex[b & 15]; piece[5] = '>';
            byte_id[b] = mtl__trie_find(&tv, 0, (const unsigned char *)piece, 6);
        }
        hdr[MTL__TI_MODEL] = MTL__MODEL_UNIGRAM;
        for (j = 0; j < 7; j++) hdr[MTL__TI_BPE + j] = st->uni[j];
        hdr[MTL__TI_CMLEN] = (uint32_t)st->charsmap_len;
    }

    /* the image */
    mtl__ti_layout_of(MTL__TI_WORDS, (uint64_t)v->n, n_nodes, (uint64_t)n_added, v->pool_len + 1, strs_len,
                      st->model, n_slots, st->model == MTL__MODEL_UNIGRAM ? st->charsmap_len : 0u, &L);
    if (L.total > (uint64_t)0xFFFFFFF0u) { mtl__err(err, MTL_ERR_UNSUPPORTED, "vocabulary too large"); r = MTL_ERR_UNSUPPORTED; goto done; }
    hdr[MTL__TI_MAGIC] = MTL__TI_MAGIC_WORD;
    hdr[MTL__TI_VERSION] = MTL__TI_VERSION_NOW;
    hdr[MTL__TI_BYTES] = (uint32_t)L.total;
    hdr[MTL__TI_NVOCAB] = (uint32_t)v->n;
    hdr[MTL__TI_POOL] = (uint32_t)(v->pool_len + 1);
    hdr[MTL__TI_NODES] = n_nodes;
    hdr[MTL__TI_NADDED] = (uint32_t)n_added;
    hdr[MTL__TI_STRS] = (uint32_t)strs_len;
    img = (unsigned char *)MTL_MALLOC((size_t)L.total);
    t = (mtl_tokenizer *)MTL_MALLOC(sizeof *t);
    if (!img || !t) { mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
    memset(img, 0, (size_t)L.total);
    memcpy(img, hdr, sizeof hdr);
    memcpy(img + L.tok_off, v->off, (size_t)v->n * 4);
    memcpy(img + L.tok_len, v->len, (size_t)v->n * 4);
    memcpy(img + L.node_id, node_id, (size_t)n_nodes * 4);
    memcpy(img + L.first, first, ((size_t)n_nodes + 1) * 4);
    memcpy(img + L.root_child, root_child, sizeof root_child);
    if (n_added) memcpy(img + L.added, added, (size_t)n_added * sizeof *added);
    memcpy(img + L.ebyte, ebyte, n_nodes);
    if (v->pool_len) memcpy(img + L.pool, v->pool, v->pool_len);   /* + a NUL: the pool of an all-holes vocab is not empty */
    for (j = 0; j < 6; j++) memcpy(img + L.strs + hdr[MTL__TI_NAMES + j], names[j], lens[j]);
    if (st->model != MTL__MODEL_WORDPIECE) memcpy(img + L.byte_id, byte_id, sizeof byte_id);
    if (n_slots) memcpy(img + L.merges, slots, (size_t)n_slots * 16u);
    if (st->model == MTL__MODEL_UNIGRAM) {
        memcpy(img + L.scores, st->scores, (size_t)v->n * sizeof(double));
        if (st->charsmap_len) memcpy(img + L.charsmap, st->charsmap, st->charsmap_len);
    }
    if ((r = mtl__ti_bind(t, img, (size_t)L.total, err)) != MTL_OK) goto done;
    t->own_image = img;
    t->own_self = 1;
    *out = t;
    img = NULL;
    t = NULL;
    mtl__ok(err);
done:
    MTL_FREE(keys); MTL_FREE(node_id); MTL_FREE(first); MTL_FREE(qlo); MTL_FREE(qhi); MTL_FREE(depth); MTL_FREE(ebyte);
    MTL_FREE(added); MTL_FREE(img); MTL_FREE(t); MTL_FREE(slots);
    return r;
}

MTLDEF const void *mtl_tokenizer_image(const mtl_tokenizer *t, size_t *len) {
    if (len) *len = t ? t->image_len : 0;
    return t ? (const void *)t->image : NULL;
}
MTLDEF size_t mtl_tokenizer_struct_bytes(void) { return sizeof(mtl_tokenizer); }
MTLDEF mtl_result mtl_tokenizer_from_image(const void *image, size_t len, void *mem, size_t mem_size, mtl_tokenizer **out,
                                          mtl_error *err) {
    mtl_tokenizer *t;
    mtl_result r;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "out is NULL");
    *out = NULL;
    if (mem && (mem_size < sizeof *t || ((uintptr_t)mem % sizeof(void *))))
        return mtl__err(err, MTL_ERR_NOMEM, "caller memory: %lu bytes needed (mtl_tokenizer_struct_bytes), pointer-aligned",
                        (unsigned long)sizeof *t);
    t = mem ? (mtl_tokenizer *)mem : (mtl_tokenizer *)MTL_MALLOC(sizeof *t);
    if (!t) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    if ((r = mtl__ti_bind(t, image, len, err)) != MTL_OK) { if (!mem) MTL_FREE(t); return r; }
    t->own_self = !mem;
    *out = t;
    mtl__ok(err);
    return MTL_OK;
}

static void mtl__settings_init(mtl__settings *st) {
    memset(st, 0, sizeof *st);
    st->lowercase = st->strip_accents = st->handle_chinese_chars = st->clean_text = -1;
    st->max_chars = -1;
}

/* vocab.txt: one token per line; a trailing '\r' is dropped. */
static mtl_result mtl__parse_vocab_txt(mtl__vocab *v, const char *s, size_t len, mtl_error *err) {
    size_t p = 0;
    long line = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) p = 3;
    while (p < len) {
        size_t e = p, n;
        while (e < len && s[e] != '\n') e++;
        n = e - p;
        if (n && s[p + n - 1] == '\r') n--;
        if (memchr(s + p, 0, n)) return mtl__err(err, MTL_ERR_FORMAT, "vocab line %ld: NUL byte (not a text vocab file?)", line + 1);
        if (!mtl__utf8_valid(s + p, n)) return mtl__err(err, MTL_ERR_FORMAT, "vocab line %ld: invalid UTF-8", line + 1);
        if (line >= (1L << 24)) return mtl__err(err, MTL_ERR_TOO_LONG, "vocab has more than 16M lines");
        if (!mtl__vocab_set(v, line, s + p, n)) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        line++;
        p = e + 1;
    }
    return MTL_OK;
}

/* A special-token entry of special_tokens_map.json / tokenizer_config.json: "str" or {"content":"str"}. */
static void mtl__special_entry(const mtl__json *j, int obj, const char *key, const char **s, size_t *len) {
    int n = mtl__json_get(j, obj, key);
    if (mtl__json_type(j, n) == MTL__J_OBJ) n = mtl__json_get(j, n, "content");
    if (mtl__json_type(j, n) == MTL__J_STR && j->nodes[n].end > j->nodes[n].start &&
        !memchr(j->s + j->nodes[n].start, '\\', j->nodes[n].end - j->nodes[n].start)) {
        *s = j->s + j->nodes[n].start;
        *len = j->nodes[n].end - j->nodes[n].start;
    }
}

static mtl_result mtl__parse_hf_config(mtl__settings *st, const char *s, size_t len, const char *what, mtl_error *err) {
    mtl__json j;
    if (mtl__json_parse(&j, s, len) != 0 || j.nodes[0].type != MTL__J_OBJ) {
        unsigned line, col;
        mtl__line_col(s, j.pos, len, &line, &col);
        mtl__json_free(&j);
        return mtl__err(err, MTL_ERR_FORMAT, "%s:%u:%u: %s", what, line, col, j.error ? j.error : "not a JSON object");
    }
    {
        int b = mtl__json_bool(&j, 0, "do_lower_case", -1);
        if (b >= 0) st->lowercase = b;
        b = mtl__json_bool(&j, 0, "strip_accents", -1);
        if (b >= 0) st->strip_accents = b;
        b = mtl__json_bool(&j, 0, "tokenize_chinese_chars", -1);
        if (b >= 0) st->handle_chinese_chars = b;
    }
    mtl__json_free(&j);
    return MTL_OK;
}

/* The special tokens of special_tokens_map.json (its strings must outlive st: they point into s). */
static mtl_result mtl__parse_special_map(mtl__settings *st, const char *s, size_t len, mtl__json *j, mtl_error *err) {
    if (mtl__json_parse(j, s, len) != 0 || j->nodes[0].type != MTL__J_OBJ) {
        unsigned line, col;
        mtl__line_col(s, j->pos, len, &line, &col);
        return mtl__err(err, MTL_ERR_FORMAT, "special_tokens_map.json:%u:%u: %s", line, col, j->error ? j->error : "not a JSON object");
    }
    mtl__special_entry(j, 0, "unk_token", &st->unk, &st->unk_len);
    mtl__special_entry(j, 0, "cls_token", &st->cls, &st->cls_len);
    mtl__special_entry(j, 0, "sep_token", &st->sep, &st->sep_len);
    mtl__special_entry(j, 0, "pad_token", &st->pad, &st->pad_len);
    mtl__special_entry(j, 0, "mask_token", &st->mask, &st->mask_len);
    return MTL_OK;
}

/* Reads one template list of TemplateProcessing ("single" / "pair"). */
static int mtl__parse_template(const mtl__json *j, int arr, int special_tokens, mtl__titem *items, int *n, const mtl__vocab *v) {
    int c;
    *n = 0;
    if (mtl__json_type(j, arr) != MTL__J_ARR) return 0;
    for (c = j->nodes[arr].child; c >= 0; c = j->nodes[c].next) {
        int sp = mtl__json_get(j, c, "SpecialToken"), sq = mtl__json_get(j, c, "Sequence");
        long type_id = 0;
        if (*n >= MTL__TMAX) return 0;
        if (sq >= 0) {
            int idn = mtl__json_get(j, sq, "id");
            if (!mtl__json_int(j, mtl__json_get(j, sq, "type_id"), 0, 1 << 20, &type_id)) return 0;
            if (mtl__json_streq(j, idn, "A")) items[*n].id = -1;
            else if (mtl__json_streq(j, idn, "B")) items[*n].id = -2;
            else return 0;
        } else if (sp >= 0) {
            /* the special token's id comes from the "special_tokens" map: {name: {"ids": [..]}} */
            int idn = mtl__json_get(j, sp, "id"), m, ids;
            long id;
            size_t l;
            if (!mtl__json_int(j, mtl__json_get(j, sp, "type_id"), 0, 1 << 20, &type_id)) return 0;
            if (mtl__json_type(j, idn) != MTL__J_STR) return 0;
            l = j->nodes[idn].end - j->nodes[idn].start;
            for (m = j->nodes[special_tokens].child; m >= 0; m = j->nodes[m].next)
                if (j->nodes[m].kend - j->nodes[m].kstart == l && memcmp(j->s + j->nodes[m].kstart, j->s + j->nodes[idn].start, l) == 0) break;
            if (m < 0) return 0;
            ids = mtl__json_get(j, m, "ids");
            if (mtl__json_type(j, ids) != MTL__J_ARR || j->nodes[ids].count != 1) return 0; /* one id per special token */
            if (!mtl__json_int(j, j->nodes[ids].child, 0, v->n - 1, &id)) return 0;
            items[*n].id = (int32_t)id;
        } else return 0;
        items[*n].type_id = (int32_t)type_id;
        (*n)++;
    }
    return 1;
}

/* The byte-level BPE parts of a tokenizer.json: model options, normalizer, pre-tokenizer, decoder.
   Everything outside the GPT-2 / RoBERTa pipeline is refused by name. */
static mtl_result mtl__parse_bpe_json(mtl__settings *st, const mtl__json *j, int model, mtl_error *err) {
    int c, pre, norm, dec, k;
    static const char *const off_keys[4] = {"dropout", "continuing_subword_prefix", "end_of_word_suffix", "byte_fallback"};
    st->model = MTL__MODEL_BPE;
    st->lowercase = st->strip_accents = st->handle_chinese_chars = st->clean_text = 0;
    st->prefix = ""; st->prefix_len = 0;
    for (k = 0; k < 4; k++) {
        c = mtl__json_get(j, model, off_keys[k]);
        if (c < 0 || mtl__json_type(j, c) == MTL__J_NULL || mtl__json_type(j, c) == MTL__J_FALSE ||
            (mtl__json_type(j, c) == MTL__J_STR && j->nodes[c].end == j->nodes[c].start))
            continue;
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: BPE with %s is not supported", off_keys[k]);
    }
    st->bpe[4] = mtl__json_bool(j, model, "ignore_merges", 0);
    if (st->bpe[4] < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: ignore_merges is not a boolean");
    st->merges = mtl__json_get(j, model, "merges");
    st->mj = j;
    if (st->merges >= 0 && mtl__json_type(j, st->merges) != MTL__J_ARR) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: model.merges is not an array");
    c = mtl__json_get(j, model, "unk_token");
    if (mtl__json_type(j, c) == MTL__J_STR) { st->unk = j->s + j->nodes[c].start; st->unk_len = j->nodes[c].end - j->nodes[c].start; }
    else { st->unk = ""; st->unk_len = 0; }
    norm = mtl__json_get(j, 0, "normalizer");
    if (norm >= 0 && mtl__json_type(j, norm) != MTL__J_NULL) {
        c = mtl__json_get(j, norm, "type");
        if (mtl__json_type(j, c) == MTL__J_STR)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: normalizer %.*s is not supported with BPE (none is)",
                            (int)(j->nodes[c].end - j->nodes[c].start), j->s + j->nodes[c].start);
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: a normalizer is not supported with BPE");
    }
    pre = mtl__json_get(j, 0, "pre_tokenizer");
    c = mtl__json_get(j, pre, "type");
    if (!mtl__json_streq(j, c, "ByteLevel")) {
        if (mtl__json_type(j, c) == MTL__J_STR)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: pre-tokenizer %.*s is not supported with BPE (ByteLevel is)",
                            (int)(j->nodes[c].end - j->nodes[c].start), j->s + j->nodes[c].start);
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: BPE without the ByteLevel pre-tokenizer is not supported");
    }
    st->bpe[0] = mtl__json_bool(j, pre, "add_prefix_space", 1);
    st->bpe[1] = mtl__json_bool(j, pre, "use_regex", 1);
    if (st->bpe[0] < 0 || st->bpe[1] < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a ByteLevel flag is not a boolean");
    dec = mtl__json_get(j, 0, "decoder");
    c = mtl__json_get(j, dec, "type");
    if (!mtl__json_streq(j, c, "ByteLevel")) {
        if (mtl__json_type(j, c) == MTL__J_STR)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: decoder %.*s is not supported with BPE (ByteLevel is)",
                            (int)(j->nodes[c].end - j->nodes[c].start), j->s + j->nodes[c].start);
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: BPE without the ByteLevel decoder is not supported");
    }
    if (!st->cls) { st->cls = "<s>"; st->cls_len = 3; }
    if (!st->sep) { st->sep = "</s>"; st->sep_len = 4; }
    if (!st->pad) { st->pad = "<pad>"; st->pad_len = 5; }
    if (!st->mask) { st->mask = "<mask>"; st->mask_len = 6; }
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* SentencePiece Unigram (XLM-RoBERTa): the parts of its tokenizer.json                            */
/* ---------------------------------------------------------------------------------------------- */
/* Standard base64 (with or without padding) of node into a fresh MTL_MALLOC block; 0 on a bad string. */
static int mtl__base64(const mtl__json *j, int node, unsigned char **out, size_t *len) {
    const char *s = j->s + j->nodes[node].start;
    size_t n = j->nodes[node].end - j->nodes[node].start, i, o = 0;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    unsigned char *d;
    *out = NULL;
    *len = 0;
    d = (unsigned char *)MTL_MALLOC(n / 4 * 3 + 3);
    if (!d) return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        uint32_t v;
        if (c == '=') { pad++; continue; }
        if (pad) { MTL_FREE(d); return 0; }
        if (c >= 'A' && c <= 'Z') v = (uint32_t)(c - 'A');
        else if (c >= 'a' && c <= 'z') v = (uint32_t)(c - 'a') + 26u;
        else if (c >= '0' && c <= '9') v = (uint32_t)(c - '0') + 52u;
        else if (c == '+') v = 62u;
        else if (c == '/') v = 63u;
        else { MTL_FREE(d); return 0; }
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) { bits -= 8; d[o++] = (unsigned char)(acc >> bits); acc &= (1u << bits) - 1u; }
    }
    if (pad > 2 || bits >= 6) { MTL_FREE(d); return 0; }
    *out = d;
    *len = o;
    return 1;
}
/* One code point string ("\u2581"): the code point, or 0. */
static uint32_t mtl__json_char(const mtl__json *j, int node) {
    char buf[8];
    size_t n, i = 0;
    uint32_t c;
    if (mtl__json_type(j, node) != MTL__J_STR) return 0;
    n = mtl__json_unescape(j, node, buf, sizeof buf);
    if (n == (size_t)-1 || n == 0) return 0;
    c = mtl__utf8_next((const unsigned char *)buf, n, &i);
    return i == n && (c != 0xFFFD || n == 3) ? c : 0;
}
#define MTL__JTYPE(node) (int)(j->nodes[node].end - j->nodes[node].start), j->s + j->nodes[node].start
/* The normalizer: Precompiled, then Strip, then Replace(Regex " {2,}" -> one char), each optional, alone
   or in a Sequence in that order (what transformers writes for XLM-R / SentencePiece models). */
static mtl_result mtl__uni_normalizer(mtl__settings *st, const mtl__json *j, int node, int depth, int *stage, mtl_error *err) {
    int type = mtl__json_get(j, node, "type"), c;
    if (node < 0 || mtl__json_type(j, node) == MTL__J_NULL) return MTL_OK;
    if (mtl__json_type(j, type) != MTL__J_STR) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a normalizer without a type");
    if (depth == 0 && mtl__json_streq(j, type, "Sequence")) {
        int arr = mtl__json_get(j, node, "normalizers");
        if (mtl__json_type(j, arr) != MTL__J_ARR) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a Sequence normalizer without normalizers");
        for (c = j->nodes[arr].child; c >= 0; c = j->nodes[c].next) {
            mtl_result r = mtl__uni_normalizer(st, j, c, 1, stage, err);
            if (r) return r;
        }
        return MTL_OK;
    }
    if (mtl__json_streq(j, type, "Precompiled") && *stage < 1) {
        c = mtl__json_get(j, node, "precompiled_charsmap");
        *stage = 1;
        if (mtl__json_type(j, c) != MTL__J_STR || !mtl__base64(j, c, &st->charsmap, &st->charsmap_len))
            return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: precompiled_charsmap is not a base64 string");
        if (st->charsmap_len < 8 || st->charsmap_len > (1u << 26))
            return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: precompiled_charsmap of %zu bytes", st->charsmap_len);
        st->uni[4] |= MTL__UN_PRECOMPILED;
        return MTL_OK;
    }
    if (mtl__json_streq(j, type, "Strip") && *stage < 2) {
        int l = mtl__json_bool(j, node, "strip_left", 1), r = mtl__json_bool(j, node, "strip_right", 1);
        if (l < 0 || r < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a Strip flag is not a boolean");
        *stage = 2;
        st->uni[4] |= (l ? MTL__UN_LSTRIP : 0u) | (r ? MTL__UN_RSTRIP : 0u);
        return MTL_OK;
    }
    if (mtl__json_streq(j, type, "Replace") && *stage < 3) {
        int pat = mtl__json_get(j, node, "pattern"), rx = mtl__json_get(j, pat, "Regex");
        uint32_t to = mtl__json_char(j, mtl__json_get(j, node, "content"));
        if (!mtl__json_streq(j, rx, " {2,}") || !to)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: a Replace normalizer other than Regex \" {2,}\" -> one character is not supported");
        *stage = 3;
        st->uni[5] = to;
        return MTL_OK;
    }
    return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: normalizer %.*s %sis not supported with Unigram (Precompiled, "
                    "Strip, Replace(\" {2,}\") are, in that order)", MTL__JTYPE(type), *stage ? "here " : "");
}
/* Metaspace settings of a pre-tokenizer or decoder: replacement, prepend scheme (0 always, 1 first,
   2 never; "add_prefix_space" of older files: always / never), split. */
static mtl_result mtl__metaspace(const mtl__json *j, int node, uint32_t *repl, int *prepend, int *split, mtl_error *err) {
    int ps = mtl__json_get(j, node, "prepend_scheme"), ap = mtl__json_bool(j, node, "add_prefix_space", 1);
    *repl = mtl__json_char(j, mtl__json_get(j, node, "replacement"));
    *split = mtl__json_bool(j, node, "split", 1);
    if (!*repl) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a Metaspace replacement is not one character");
    if (*split < 0 || ap < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a Metaspace flag is not a boolean");
    if (ps >= 0 && mtl__json_type(j, ps) != MTL__J_NULL) {
        if (mtl__json_streq(j, ps, "always")) *prepend = 0;
        else if (mtl__json_streq(j, ps, "first")) *prepend = 1;
        else if (mtl__json_streq(j, ps, "never")) *prepend = 2;
        else return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: unknown Metaspace prepend_scheme");
    } else {
        *prepend = ap ? 0 : 2;
    }
    return MTL_OK;
}
/* A JSON number as serde_json reads it into an f64 without its float_roundtrip feature (what HF
   tokenizers does with Unigram scores): the decimal digits into a u64 while they fit (later ones only
   move the exponent, or are dropped after the point), then (double)digits / 10^-exp (or * 10^exp),
   which is not always the nearest double. Reproduced so that the Viterbi's sums, and so its choices
   among near-equal paths, are HF's. 0 if the text is not such a number. */
static int mtl__serde_f64(const char *s, size_t n, double *out) {
    static const double p10[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const uint64_t max = ~(uint64_t)0;
    uint64_t sig = 0;
    long exp = 0, e = 0;
    size_t i = 0;
    int neg = 0, esign = 1, full = 0, digits = 0;
    double f;
    if (i < n && s[i] == '-') { neg = 1; i++; }
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {   /* integer part */
        unsigned d = (unsigned)(s[i] - '0');
        if (full || (sig >= max / 10 && (sig > max / 10 || d > max % 10))) { full = 1; exp++; }
        else sig = sig * 10 + d;
    }
    if (!digits) return 0;
    if (i < n && s[i] == '.') {
        for (i++, digits = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            unsigned d = (unsigned)(s[i] - '0');
            if (full || (sig >= max / 10 && (sig > max / 10 || d > max % 10))) full = 1;   /* dropped */
            else { sig = sig * 10 + d; exp--; }
        }
        if (!digits) return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) { esign = s[i] == '-' ? -1 : 1; i++; }
        for (digits = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            if (e > 100000000L) { if (sig == 0 || esign < 0) { *out = neg ? -0.0 : 0.0; return 1; } return 0; }
            e = e * 10 + (s[i] - '0');
        }
        if (!digits) return 0;
        exp += esign * e;
    }
    if (i != n) return 0;
    f = (double)sig;
    for (;;) {
        long a = exp < 0 ? -exp : exp;
        if (a <= 308) {
            double p;
            if (a <= 22) p = p10[a];
            else { char buf[8]; buf[0] = '1'; buf[1] = 'e'; buf[2] = (char)('0' + a / 100); buf[3] = (char)('0' + a / 10 % 10); buf[4] = (char)('0' + a % 10); buf[5] = 0; p = strtod(buf, NULL); }
            if (exp >= 0) { f *= p; if (f > 1.7976931348623157e308) return 0; }
            else f /= p;
            break;
        }
        if (f == 0.0) break;
        if (exp >= 0) return 0;
        f /= 1e308;
        exp += 308;
    }
    *out = neg ? -f : f;
    return 1;
}
static mtl_result mtl__parse_unigram_json(mtl__vocab *v, mtl__settings *st, const mtl__json *j, int model, mtl_error *err) {
    int vocab = mtl__json_get(j, model, "vocab"), c, pre, dec, type, stage = 0, prepend = 0, split = 1;
    long n = 0, unk;
    uint32_t repl = 0;
    mtl_result r;
    st->model = MTL__MODEL_UNIGRAM;
    st->lowercase = st->strip_accents = st->handle_chinese_chars = st->clean_text = 0;
    st->prefix = ""; st->prefix_len = 0;
    if (mtl__json_type(j, vocab) != MTL__J_ARR) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: Unigram model.vocab is not an array");
    if (j->nodes[vocab].count < 1 || j->nodes[vocab].count > (1 << 24)) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: Unigram vocabulary of %d pieces", j->nodes[vocab].count);
    st->scores = (double *)MTL_MALLOC(sizeof(double) * (size_t)j->nodes[vocab].count);
    if (!st->scores) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    for (c = j->nodes[vocab].child; c >= 0; c = j->nodes[c].next, n++) {   /* [piece, score]: id = position */
        int p = j->nodes[c].child;
        char buf[1024];
        size_t len;
        double sc;
        if (mtl__json_type(j, c) != MTL__J_ARR || j->nodes[c].count != 2 || mtl__json_type(j, p) != MTL__J_STR ||
            mtl__json_type(j, j->nodes[p].next) != MTL__J_NUM ||
            !mtl__serde_f64(j->s + j->nodes[j->nodes[p].next].start, j->nodes[j->nodes[p].next].end - j->nodes[j->nodes[p].next].start, &sc) ||
            !(sc >= -1e30 && sc <= 1e30))
            return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: Unigram piece %ld is not [\"piece\", score]", n);
        len = mtl__json_unescape(j, p, buf, sizeof buf);
        if (len == (size_t)-1) return mtl__err(err, MTL_ERR_TOO_LONG, "tokenizer.json: a vocab token is longer than 1024 bytes");
        if (!mtl__utf8_valid(buf, len)) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a vocab token is not valid UTF-8");
        if (!mtl__vocab_set(v, n, buf, len)) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        st->scores[n] = sc;
    }
    c = mtl__json_get(j, model, "unk_id");
    if (c < 0 || mtl__json_type(j, c) == MTL__J_NULL) unk = -1;
    else if (!mtl__json_int(j, c, 0, n - 1, &unk)) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: Unigram unk_id is not a piece");
    st->uni_unk = unk;
    c = mtl__json_bool(j, model, "byte_fallback", 0);
    if (c < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: byte_fallback is not a boolean");
    st->uni[2] = (uint32_t)c;
    if ((r = mtl__uni_normalizer(st, j, mtl__json_get(j, 0, "normalizer"), 0, &stage, err)) != MTL_OK) return r;
    pre = mtl__json_get(j, 0, "pre_tokenizer");
    type = mtl__json_get(j, pre, "type");
    if (mtl__json_streq(j, type, "Sequence")) {   /* [WhitespaceSplit, Metaspace] (transformers' XLM-R) */
        int arr = mtl__json_get(j, pre, "pretokenizers"), p0, p1;
        p0 = mtl__json_type(j, arr) == MTL__J_ARR && j->nodes[arr].count == 2 ? j->nodes[arr].child : -1;
        p1 = p0 >= 0 ? j->nodes[p0].next : -1;
        if (p0 < 0 || !mtl__json_streq(j, mtl__json_get(j, p0, "type"), "WhitespaceSplit") || !mtl__json_streq(j, mtl__json_get(j, p1, "type"), "Metaspace"))
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: a pre-tokenizer Sequence other than [WhitespaceSplit, Metaspace] is not supported with Unigram");
        st->uni[1] = 2;
        pre = p1;
        type = mtl__json_get(j, pre, "type");
    }
    if (!mtl__json_streq(j, type, "Metaspace")) {
        if (mtl__json_type(j, type) == MTL__J_STR)
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: pre-tokenizer %.*s is not supported with Unigram (Metaspace is)", MTL__JTYPE(type));
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: Unigram without the Metaspace pre-tokenizer is not supported");
    }
    if ((r = mtl__metaspace(j, pre, &repl, &prepend, &split, err)) != MTL_OK) return r;
    st->uni[0] = (uint32_t)prepend; st->uni[1] |= (uint32_t)split; st->uni[3] = repl;
    dec = mtl__json_get(j, 0, "decoder");
    type = mtl__json_get(j, dec, "type");
    if (dec < 0 || mtl__json_type(j, dec) == MTL__J_NULL) st->uni[6] = MTL__UD_NONE;
    else if (mtl__json_streq(j, type, "Metaspace")) {
        uint32_t drepl;
        int dprepend, dsplit;
        if ((r = mtl__metaspace(j, dec, &drepl, &dprepend, &dsplit, err)) != MTL_OK) return r;
        if (drepl != repl) return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: a Metaspace decoder whose replacement differs from the pre-tokenizer's");
        st->uni[6] = dprepend == 2 ? MTL__UD_METASPACE_KEEP : MTL__UD_METASPACE;
    } else if (mtl__json_streq(j, type, "Sequence")) {   /* Llama's: Replace(repl, " "), ByteFallback, Fuse, Strip(" ", 1, 0) */
        int arr = mtl__json_get(j, dec, "decoders"), d[4], k, ok;
        d[0] = mtl__json_type(j, arr) == MTL__J_ARR && j->nodes[arr].count == 4 ? j->nodes[arr].child : -1;
        for (k = 1; k < 4; k++) d[k] = d[k - 1] >= 0 ? j->nodes[d[k - 1]].next : -1;
        ok = d[0] >= 0 && mtl__json_streq(j, mtl__json_get(j, d[0], "type"), "Replace") &&
             mtl__json_char(j, mtl__json_get(j, mtl__json_get(j, d[0], "pattern"), "String")) == repl &&
             mtl__json_streq(j, mtl__json_get(j, d[0], "content"), " ") &&
             mtl__json_streq(j, mtl__json_get(j, d[1], "type"), "ByteFallback") && mtl__json_streq(j, mtl__json_get(j, d[2], "type"), "Fuse") &&
             mtl__json_streq(j, mtl__json_get(j, d[3], "type"), "Strip") && mtl__json_streq(j, mtl__json_get(j, d[3], "content"), " ");
        if (ok) {
            long st0, st1;
            ok = mtl__json_int(j, mtl__json_get(j, d[3], "start"), 1, 1, &st0) && mtl__json_int(j, mtl__json_get(j, d[3], "stop"), 0, 0, &st1);
        }
        if (!ok) return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: a decoder Sequence other than [Replace(\"\u2581\", \" \"), ByteFallback, Fuse, Strip(\" \", 1, 0)] is not supported with Unigram");
        st->uni[6] = MTL__UD_BYTES;
    } else if (mtl__json_type(j, type) == MTL__J_STR) {
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: decoder %.*s is not supported with Unigram (Metaspace is)", MTL__JTYPE(type));
    } else {
        return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a decoder without a type");
    }
    if (!st->cls) { st->cls = "<s>"; st->cls_len = 3; }
    if (!st->sep) { st->sep = "</s>"; st->sep_len = 4; }
    if (!st->pad) { st->pad = "<pad>"; st->pad_len = 5; }
    if (!st->mask) { st->mask = "<mask>"; st->mask_len = 6; }
    return MTL_OK;
}
#undef MTL__JTYPE

static mtl_result mtl__parse_tokenizer_json(mtl__vocab *v, mtl__settings *st, mtl__json *j, const char *s, size_t len, mtl_error *err) {
    int model, vocab, norm, pre, post, c, added, trunc, pad, bpe = 0, uni = 0;
    if (mtl__json_parse(j, s, len) != 0 || j->nodes[0].type != MTL__J_OBJ) {
        unsigned line, col;
        mtl__line_col(s, j->pos, len, &line, &col);
        return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json:%u:%u: %s", line, col, j->error ? j->error : "not a JSON object");
    }
    model = mtl__json_get(j, 0, "model");
    if (mtl__json_type(j, model) != MTL__J_OBJ) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: no \"model\" object");
    c = mtl__json_get(j, model, "type");
    if (c >= 0 && mtl__json_streq(j, c, "BPE")) bpe = 1;
    else if (c >= 0 && mtl__json_streq(j, c, "Unigram")) uni = 1;
    else if (c >= 0 && !mtl__json_streq(j, c, "WordPiece")) {
        if (mtl__json_type(j, c) != MTL__J_STR) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: model.type is not a string");
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: model type %.*s is not supported (WordPiece, byte-level BPE and Unigram are)",
                        (int)(j->nodes[c].end - j->nodes[c].start), j->s + j->nodes[c].start);
    } else if (c < 0 && mtl__json_get(j, model, "merges") >= 0) bpe = 1;
    if (uni) {
        mtl_result r = mtl__parse_unigram_json(v, st, j, model, err);
        if (r) return r;
        goto post_processor;
    }
    vocab = mtl__json_get(j, model, "vocab");
    if (mtl__json_type(j, vocab) != MTL__J_OBJ) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: model.vocab is not an object");
    for (c = j->nodes[vocab].child; c >= 0; c = j->nodes[c].next) {
        long id;
        char buf[1024];
        size_t n;
        if (!mtl__json_int(j, c, 0, (1L << 24) - 1, &id)) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a vocab id is not an integer in [0, 2^24)");
        n = mtl__json_unescape_range(j->s, j->nodes[c].kstart, j->nodes[c].kend, buf, sizeof buf);
        if (n == (size_t)-1) return mtl__err(err, MTL_ERR_TOO_LONG, "tokenizer.json: a vocab token is longer than 1024 bytes");
        if (!mtl__utf8_valid(buf, n)) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a vocab token is not valid UTF-8");
        if (!mtl__vocab_set(v, id, buf, n)) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    }
    if (bpe) {
        mtl_result r = mtl__parse_bpe_json(st, j, model, err);
        if (r) return r;
        goto post_processor;
    }
    c = mtl__json_get(j, model, "unk_token");
    if (mtl__json_type(j, c) == MTL__J_STR) { st->unk = j->s + j->nodes[c].start; st->unk_len = j->nodes[c].end - j->nodes[c].start; }
    c = mtl__json_get(j, model, "continuing_subword_prefix");
    if (mtl__json_type(j, c) == MTL__J_STR) { st->prefix = j->s + j->nodes[c].start; st->prefix_len = j->nodes[c].end - j->nodes[c].start; }
    c = mtl__json_get(j, model, "max_input_chars_per_word");
    if (c >= 0) {
        long m;
        if (!mtl__json_int(j, c, 1, 1L << 30, &m)) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: bad max_input_chars_per_word");
        st->max_chars = (int)m;
    }
    /* normalizer */
    norm = mtl__json_get(j, 0, "normalizer");
    if (mtl__json_type(j, norm) == MTL__J_OBJ) {
        if (!mtl__json_streq(j, mtl__json_get(j, norm, "type"), "BertNormalizer"))
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: only the BertNormalizer is supported");
        st->clean_text = mtl__json_bool(j, norm, "clean_text", 1);
        st->handle_chinese_chars = mtl__json_bool(j, norm, "handle_chinese_chars", 1);
        st->lowercase = mtl__json_bool(j, norm, "lowercase", 1);
        st->strip_accents = mtl__json_bool(j, norm, "strip_accents", -1);
        if (st->clean_text < 0 || st->handle_chinese_chars < 0 || st->lowercase < 0 || st->strip_accents == -2)
            return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a BertNormalizer flag is not a boolean");
    } else if (norm >= 0 && mtl__json_type(j, norm) != MTL__J_NULL) {
        return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: bad normalizer");
    } else {
        st->clean_text = st->handle_chinese_chars = st->lowercase = st->strip_accents = 0;
    }
    pre = mtl__json_get(j, 0, "pre_tokenizer");
    if (mtl__json_type(j, pre) == MTL__J_OBJ && !mtl__json_streq(j, mtl__json_get(j, pre, "type"), "BertPreTokenizer"))
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: only the BertPreTokenizer is supported");
post_processor:
    post = mtl__json_get(j, 0, "post_processor");
    if (mtl__json_type(j, post) == MTL__J_OBJ) {
        int type = mtl__json_get(j, post, "type");
        if (mtl__json_streq(j, type, "TemplateProcessing")) {
            int sp = mtl__json_get(j, post, "special_tokens");
            if (mtl__json_type(j, sp) != MTL__J_OBJ ||
                !mtl__parse_template(j, mtl__json_get(j, post, "single"), sp, st->single, &st->n_single, v) ||
                !mtl__parse_template(j, mtl__json_get(j, post, "pair"), sp, st->pair, &st->n_pair, v))
                return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: TemplateProcessing that mtl cannot read");
            st->has_template = 1;
        } else if (mtl__json_streq(j, type, "BertProcessing") || (bpe && mtl__json_streq(j, type, "RobertaProcessing"))) {
            int sep = mtl__json_get(j, post, "sep"), cls = mtl__json_get(j, post, "cls");
            long sid, cid;
            if (mtl__json_type(j, sep) != MTL__J_ARR || mtl__json_type(j, cls) != MTL__J_ARR || j->nodes[sep].count != 2 || j->nodes[cls].count != 2 ||
                !mtl__json_int(j, j->nodes[j->nodes[sep].child].next, 0, v->n - 1, &sid) ||
                !mtl__json_int(j, j->nodes[j->nodes[cls].child].next, 0, v->n - 1, &cid))
                return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: bad BertProcessing");
            st->single[0].id = (int32_t)cid; st->single[1].id = -1; st->single[2].id = (int32_t)sid;
            st->single[0].type_id = st->single[1].type_id = st->single[2].type_id = 0;
            st->pair[0] = st->single[0]; st->pair[1] = st->single[1]; st->pair[2] = st->single[2];
            st->pair[3].id = -2; st->pair[4].id = (int32_t)sid;
            st->pair[3].type_id = st->pair[4].type_id = 1;
            st->n_single = 3; st->n_pair = 5;
            st->has_template = 1;
            if (mtl__json_streq(j, type, "RobertaProcessing")) {   /* <s> A </s> / <s> A </s> </s> B </s>, all type 0 */
                st->pair[3].id = (int32_t)sid; st->pair[4].id = -2; st->pair[5].id = (int32_t)sid;
                st->pair[3].type_id = st->pair[4].type_id = st->pair[5].type_id = 0;
                st->n_pair = 6;
                st->bpe[2] = mtl__json_bool(j, post, "trim_offsets", 1);
                st->bpe[3] = mtl__json_bool(j, post, "add_prefix_space", 1);
            }
        } else if (bpe && mtl__json_streq(j, type, "ByteLevel")) {
            st->has_template = 1;   /* no special tokens; offsets trimmed like RobertaProcessing */
            st->n_single = 1; st->single[0].id = -1; st->single[0].type_id = 0;
            st->n_pair = 2; st->pair[0].id = -1; st->pair[0].type_id = 0; st->pair[1].id = -2; st->pair[1].type_id = 1;
            st->bpe[2] = mtl__json_bool(j, post, "trim_offsets", 1);
            st->bpe[3] = mtl__json_bool(j, post, "add_prefix_space", 1);
        } else if (mtl__json_type(j, type) == MTL__J_STR) {
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: post-processor %.*s is not supported (TemplateProcessing, BertProcessing%s are)",
                            (int)(j->nodes[type].end - j->nodes[type].start), j->s + j->nodes[type].start,
                            bpe ? ", RobertaProcessing, ByteLevel" : "");
        } else {
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: post_processor type not supported (TemplateProcessing or BertProcessing)");
        }
        if (st->bpe[2] < 0 || st->bpe[3] < 0) return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: a post-processor flag is not a boolean");
    } else {
        st->has_template = 1; /* no post-processor: no special tokens */
        st->n_single = 1; st->single[0].id = -1; st->single[0].type_id = 0;
        st->n_pair = 2; st->pair[0].id = -1; st->pair[0].type_id = 0; st->pair[1].id = -2; st->pair[1].type_id = 1;
    }
    /* added tokens */
    added = mtl__json_get(j, 0, "added_tokens");
    if (mtl__json_type(j, added) == MTL__J_ARR && j->nodes[added].count > 0) {
        st->added = (mtl__added_src *)MTL_MALLOC(sizeof *st->added * (size_t)j->nodes[added].count);
        if (!st->added) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        for (c = j->nodes[added].child; c >= 0; c = j->nodes[c].next) {
            long id;
            int content = mtl__json_get(j, c, "content");
            if (!mtl__json_int(j, mtl__json_get(j, c, "id"), 0, (1L << 24) - 1, &id) || mtl__json_type(j, content) != MTL__J_STR)
                return mtl__err(err, MTL_ERR_FORMAT, "tokenizer.json: bad added token");
            st->added[st->n_added].s = j->s + j->nodes[content].start;
            st->added[st->n_added].len = j->nodes[content].end - j->nodes[content].start;
            st->added[st->n_added].id = id;
            st->added[st->n_added].lstrip = mtl__json_bool(j, c, "lstrip", 0) == 1;
            st->added[st->n_added].rstrip = mtl__json_bool(j, c, "rstrip", 0) == 1;
            if ((bpe || uni) && mtl__json_bool(j, c, "single_word", 0) == 1)
                return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: an added token with single_word is not supported with %s", bpe ? "BPE" : "Unigram");
            if (uni && (id >= v->n || v->off[id] == MTL__NONE))
                return mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.json: added token id %ld is outside the Unigram vocabulary (not supported)", id);
            /* an added token missing from model.vocab is added to it with its id */
            if (id >= v->n || v->off[id] == MTL__NONE) {
                char *tmp = mtl__json_strdup(j, content, NULL);
                int ok;
                if (!tmp) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
                ok = mtl__vocab_set(v, id, tmp, strlen(tmp));
                MTL_FREE(tmp);
                if (!ok) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
            }
            st->n_added++;
        }
    }
    /* truncation / padding blocks (kept for mtl_tokenizer_file_options) */
    trunc = mtl__json_get(j, 0, "truncation");
    if (mtl__json_type(j, trunc) == MTL__J_OBJ) {
        long ml;
        int strat = mtl__json_get(j, trunc, "strategy");
        if (mtl__json_int(j, mtl__json_get(j, trunc, "max_length"), 0, 1L << 30, &ml)) st->file_opt.max_length = (int)ml;
        if (mtl__json_streq(j, strat, "OnlyFirst")) st->file_opt.truncation = MTL_TRUNCATE_ONLY_FIRST;
        else if (mtl__json_streq(j, strat, "OnlySecond")) st->file_opt.truncation = MTL_TRUNCATE_ONLY_SECOND;
    }
    pad = mtl__json_get(j, 0, "padding");
    if (mtl__json_type(j, pad) == MTL__J_OBJ) {
        int strat = mtl__json_get(j, pad, "strategy");
        long m;
        if (mtl__json_type(j, strat) == MTL__J_OBJ && mtl__json_int(j, mtl__json_get(j, strat, "Fixed"), 0, 1L << 30, &m)) {
            st->file_opt.padding = MTL_PAD_MAX_LENGTH;
            st->file_opt.pad_length = (int)m;
        } else {
            st->file_opt.padding = MTL_PAD_LONGEST;
        }
        if (mtl__json_int(j, mtl__json_get(j, pad, "pad_to_multiple_of"), 0, 1L << 30, &m)) st->file_opt.pad_to_multiple_of = (int)m;
    }
    return MTL_OK;
}

MTLDEF mtl_result mtl_tokenizer_from_memory(const mtl_tokenizer_files *f, const mtl_tokenizer_options *o,
                                           mtl_tokenizer **out, mtl_error *err) {
    mtl__vocab v;
    mtl__settings st;
    mtl__json j1, j2;
    mtl_result r;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "out is NULL");
    *out = NULL;
    if (!f || (!f->tokenizer_json && !f->vocab_txt)) return mtl__err(err, MTL_ERR_ARG, "neither tokenizer.json nor vocab.txt given");
    memset(&v, 0, sizeof v);
    memset(&j1, 0, sizeof j1);
    memset(&j2, 0, sizeof j2);
    mtl__settings_init(&st);
    if (f->tokenizer_json) {
        r = mtl__parse_tokenizer_json(&v, &st, &j1, f->tokenizer_json, f->tokenizer_json_len, err);
    } else {
        r = mtl__parse_vocab_txt(&v, f->vocab_txt, f->vocab_txt_len, err);
        if (!r && f->tokenizer_config_json) r = mtl__parse_hf_config(&st, f->tokenizer_config_json, f->tokenizer_config_json_len, "tokenizer_config.json", err);
        if (!r && f->special_tokens_map_json) r = mtl__parse_special_map(&st, f->special_tokens_map_json, f->special_tokens_map_json_len, &j2, err);
    }
    if (!r) r = mtl__build(&v, &st, o, out, err);
    mtl__vocab_free(&v);
    mtl__json_free(&j1);
    mtl__json_free(&j2);
    MTL_FREE(st.added);
    MTL_FREE(st.scores);
    MTL_FREE(st.charsmap);
    return r;
}

MTLDEF mtl_result mtl_tokenizer_from_tokens(const char *const *tokens, const size_t *lens, int n,
                                           const mtl_tokenizer_options *o, mtl_tokenizer **out, mtl_error *err) {
    mtl__vocab v;
    mtl__settings st;
    mtl_result r = MTL_OK;
    int i;
    if (!out || (!tokens && n > 0) || n < 0) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    memset(&v, 0, sizeof v);
    mtl__settings_init(&st);
    for (i = 0; i < n && !r; i++) {
        size_t l = lens ? lens[i] : strlen(tokens[i]);
        if (!mtl__utf8_valid(tokens[i], l) || memchr(tokens[i], 0, l)) r = mtl__err(err, MTL_ERR_FORMAT, "token %d is not valid UTF-8 text", i);
        else if (!mtl__vocab_set(&v, i, tokens[i], l)) r = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    }
    if (!r) r = mtl__build(&v, &st, o, out, err);
    mtl__vocab_free(&v);
    return r;
}

#ifndef MTL_NO_STDIO
#ifndef MTL__READ_FILE_DEFINED
#define MTL__READ_FILE_DEFINED
/* Reads a whole file into a MTL_MALLOC block (NUL-terminated). Returns MTL_ERR_IO if it cannot be read. */
static mtl_result mtl__read_file(const char *path, char **data, size_t *len, mtl_error *err) {
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *data = NULL;
    *len = 0;
    if (!fp) return mtl__err(err, MTL_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    for (;;) {
        size_t got;
        if (n + 65536 + 1 > cap) {
            size_t nc = cap ? cap * 2 : 65536 * 2;
            if (cap > (size_t)-1 / 2) { MTL_FREE(buf); fclose(fp); return mtl__err(err, MTL_ERR_NOMEM, "%s is too large for this address space", path); }
            char *nb = (char *)MTL_REALLOC(buf, nc);
            if (!nb) { MTL_FREE(buf); fclose(fp); return mtl__err(err, MTL_ERR_NOMEM, "out of memory reading %s", path); }
            buf = nb;
            cap = nc;
        }
        got = fread(buf + n, 1, 65536, fp);
        n += got;
        if (got < 65536) break;
    }
    if (ferror(fp)) {
        const int e = errno;
        MTL_FREE(buf);
        fclose(fp);
        return mtl__err(err, MTL_ERR_IO, "cannot read %s: %s", path, strerror(e));
    }
    fclose(fp);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return MTL_OK;
}
static char *mtl__path_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *p = (char *)MTL_MALLOC(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}
/* Reads dir/name if it exists: MTL_OK with *data NULL when the file is absent. */
static mtl_result mtl__read_optional(const char *dir, const char *name, char **data, size_t *len, mtl_error *err) {
    char *p = mtl__path_join(dir, name);
    FILE *fp;
    mtl_result r;
    *data = NULL;
    *len = 0;
    if (!p) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    fp = fopen(p, "rb");
    if (!fp) {
#ifdef ENOENT
        const int e = errno;
        if (e != ENOENT) { r = mtl__err(err, MTL_ERR_IO, "cannot open %s: %s", p, strerror(e)); MTL_FREE(p); return r; }
#endif
        MTL_FREE(p);
        return MTL_OK;
    }
    fclose(fp);
    r = mtl__read_file(p, data, len, err);
    MTL_FREE(p);
    return r;
}
#endif

MTLDEF mtl_result mtl_tokenizer_load_dir(const char *dir, const mtl_tokenizer_options *o, mtl_tokenizer **out, mtl_error *err) {
    mtl_tokenizer_files f;
    char *tj = NULL, *vt = NULL, *tc = NULL, *sm = NULL;
    mtl_result r;
    if (!dir || !out) return mtl__err(err, MTL_ERR_ARG, "dir or out is NULL");
    *out = NULL;
    memset(&f, 0, sizeof f);
    r = mtl__read_optional(dir, "tokenizer.json", &tj, &f.tokenizer_json_len, err);
    if (!r && !tj) {
        r = mtl__read_optional(dir, "vocab.txt", &vt, &f.vocab_txt_len, err);
        if (!r && !vt) {
            FILE *d = fopen(dir, "rb");   /* the folder itself: the OS reason when it cannot be opened */
            if (!d) r = mtl__err(err, MTL_ERR_IO, "cannot open %s: %s", dir, strerror(errno));
            else { fclose(d); r = mtl__err(err, MTL_ERR_IO, "%s: neither tokenizer.json nor vocab.txt found", dir); }
        }
        if (!r) r = mtl__read_optional(dir, "tokenizer_config.json", &tc, &f.tokenizer_config_json_len, err);
        if (!r) r = mtl__read_optional(dir, "special_tokens_map.json", &sm, &f.special_tokens_map_json_len, err);
    }
    f.tokenizer_json = tj; f.vocab_txt = vt; f.tokenizer_config_json = tc; f.special_tokens_map_json = sm;
    if (!r) r = mtl_tokenizer_from_memory(&f, o, out, err);
    MTL_FREE(tj); MTL_FREE(vt); MTL_FREE(tc); MTL_FREE(sm);
    return r;
}
/* Reads one file and loads it as tokenizer.json (is_json) or vocab.txt. */
static mtl_result mtl__load_file(const char *path, int is_json, const mtl_tokenizer_options *o, mtl_tokenizer **out, mtl_error *err) {
    mtl_tokenizer_files f;
    char *data;
    size_t len;
    mtl_result r;
    if (!path || !out) return mtl__err(err, MTL_ERR_ARG, "path or out is NULL");
    *out = NULL;
    r = mtl__read_file(path, &data, &len, err);
    if (r) return r;
    memset(&f, 0, sizeof f);
    if (is_json) { f.tokenizer_json = data; f.tokenizer_json_len = len; }
    else { f.vocab_txt = data; f.vocab_txt_len = len; }
    r = mtl_tokenizer_from_memory(&f, o, out, err);
    MTL_FREE(data);
    return r;
}
MTLDEF mtl_result mtl_tokenizer_load_vocab(const char *path, const mtl_tokenizer_options *o, mtl_tokenizer **out, mtl_error *err) {
    return mtl__load_file(path, 0, o, out, err);
}
MTLDEF mtl_result mtl_tokenizer_load_json(const char *path, const mtl_tokenizer_options *o, mtl_tokenizer **out, mtl_error *err) {
    return mtl__load_file(path, 1, o, out, err);
}
#endif /* MTL_NO_STDIO */

MTLDEF int mtl_tokenizer_vocab_size(const mtl_tokenizer *t) { return t ? t->n_vocab : 0; }
MTLDEF int32_t mtl_tokenizer_token_to_id(const mtl_tokenizer *t, const char *s, size_t len) {
    if (!t || !s) return -1;
    return mtl__trie_find(t, 0, (const unsigned char *)s, len);
}
MTLDEF const char *mtl_tokenizer_id_to_token(const mtl_tokenizer *t, int32_t id, size_t *len) {
    if (!t || id < 0 || id >= t->n_vocab || t->tok_off[id] == MTL__NONE) return NULL;
    if (len) *len = t->tok_len[id];
    return t->pool + t->tok_off[id];
}
MTLDEF void mtl_tokenizer_get_options(const mtl_tokenizer *t, mtl_tokenizer_options *out) {
    if (t && out) *out = t->opt;
}
MTLDEF void mtl_tokenizer_file_options(const mtl_tokenizer *t, mtl_encode_options *out) {
    if (t && out) *out = t->file_opt;
}
MTLDEF int mtl_tokenizer_num_special(const mtl_tokenizer *t, int pair) {
    int k, n = 0;
    const mtl__titem *it = pair ? t->pair : t->single;
    int cnt = pair ? t->n_pair : t->n_single;
    for (k = 0; k < cnt; k++) n += it[k].id >= 0;
    return n;
}

/* ---------------------------------------------------------------------------------------------- */
/* Encoding storage                                                                               */
/* ---------------------------------------------------------------------------------------------- */
#define MTL__OUT_INTS 8   /* ids, type_ids, attention_mask, special_tokens_mask, word_ids, sequence_ids, offsets x2 */
#define MTL__RAW_INTS 4

static void mtl__enc_point(mtl_encoding *e, int32_t *base, int cap) {
    e->ids = base;
    e->type_ids = base + cap;
    e->attention_mask = base + 2 * (size_t)cap;
    e->special_tokens_mask = base + 3 * (size_t)cap;
    e->word_ids = base + 4 * (size_t)cap;
    e->sequence_ids = base + 5 * (size_t)cap;
    e->offsets = base + 6 * (size_t)cap;
}
MTLDEF mtl_result mtl_encoding_init_buffer(mtl_encoding *e, void *mem, size_t bytes) {
    size_t per = (MTL__OUT_INTS + MTL__RAW_INTS) * sizeof(int32_t), cap;
    if (!e) return MTL_ERR_ARG;
    memset(e, 0, sizeof *e);
    cap = mem ? bytes / per : 0;
    if (cap > 0x7FFFFFF) cap = 0x7FFFFFF;
    e->fixed = 1;
    e->cap = e->raw_cap = (int)cap;
    if (cap) {
        int32_t *b = (int32_t *)mem;
        mtl__enc_point(e, b, (int)cap);
        e->raw = b + MTL__OUT_INTS * cap;
    }
    return MTL_OK;
}
MTLDEF void mtl_encoding_free(mtl_encoding *e) {
    if (!e) return;
    if (!e->fixed) { MTL_FREE(e->mem); MTL_FREE(e->raw); }
    e->mem = NULL;
    e->raw = NULL;
    e->ids = e->type_ids = e->attention_mask = e->special_tokens_mask = e->word_ids = e->sequence_ids = e->offsets = NULL;
    e->cap = e->raw_cap = e->n = e->raw_n = 0;
}
/* Makes room for `need` output tokens, keeping the first e->n. */
static mtl_result mtl__enc_reserve(mtl_encoding *e, int need, mtl_error *err) {
    int nc;
    int32_t *nb;
    int k;
    if (need <= e->cap) return MTL_OK;
    if (e->fixed) return mtl__err(err, MTL_ERR_NOMEM, "the encoding buffer holds %d tokens, %d needed", e->cap, need);
    nc = e->cap ? e->cap : 64;
    while (nc < need) nc = nc > 0x3FFFFFFF / 2 ? 0x3FFFFFFF : nc * 2;
    nb = (int32_t *)MTL_MALLOC((size_t)nc * MTL__OUT_INTS * sizeof(int32_t));
    if (!nb) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    if (e->mem) {
        int32_t *old[7];
        old[0] = e->ids; old[1] = e->type_ids; old[2] = e->attention_mask; old[3] = e->special_tokens_mask;
        old[4] = e->word_ids; old[5] = e->sequence_ids; old[6] = e->offsets;
        for (k = 0; k < 6; k++) memcpy(nb + (size_t)k * (size_t)nc, old[k], (size_t)e->n * sizeof(int32_t));
        memcpy(nb + 6 * (size_t)nc, old[6], 2 * (size_t)e->n * sizeof(int32_t));
        MTL_FREE(e->mem);
    }
    e->mem = nb;
    e->cap = nc;
    mtl__enc_point(e, nb, nc);
    return MTL_OK;
}
static mtl_result mtl__raw_reserve(mtl_encoding *e, int need, mtl_error *err) {
    int nc;
    int32_t *nb;
    if (need <= e->raw_cap) return MTL_OK;
    if (e->fixed) return mtl__err(err, MTL_ERR_NOMEM, "the encoding buffer holds %d tokens, more needed", e->raw_cap);
    if (need > 0x7FFFFFF) return mtl__err(err, MTL_ERR_TOO_LONG, "more than 2^27 tokens");
    nc = e->raw_cap ? e->raw_cap : 256;
    while (nc < need) nc *= 2;
    nb = (int32_t *)MTL_REALLOC(e->raw, (size_t)nc * MTL__RAW_INTS * sizeof(int32_t));
    if (!nb) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    e->raw = nb;
    e->raw_cap = nc;
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* The encoder: normalize -> pre-tokenize -> WordPiece, streaming one code point at a time.       */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__enc_state {
    const mtl_tokenizer *t;
    mtl_encoding *e;
    mtl_error *err;
    int32_t word_index;  /* next word id of this sequence */
    mtl_result r;
    /* Truncation (limit = max_length > 0): like HF 0.23, a sequence is tokenized word by word only
       until it holds max_length tokens; `capped` is its length at that point (HF compares these
       capped lengths to pick the longer side of a pair). We go on to max_length + 1 tokens so that
       we know whether anything was dropped, then stop. */
    int limit, base, capped, stop;
    const unsigned char *text;   /* the sequence (BPE: offsets are snapped to its characters) */
    size_t len;
} mtl__enc_state;

static void mtl__count(mtl__enc_state *s) {
    int n = s->e->raw_n - s->base;
    if (s->limit && s->capped < 0 && n >= s->limit) s->capped = n;
    if (s->limit && n > s->limit) s->stop = 1;
}

static void mtl__push(mtl__enc_state *s, int32_t id, int32_t start, int32_t end, int32_t word) {
    mtl_encoding *e = s->e;
    int32_t *p;
    if (e->raw_n == e->raw_cap && (s->r = mtl__raw_reserve(e, e->raw_n + 1, s->err)) != MTL_OK) return;
    p = e->raw + (size_t)e->raw_n * MTL__RAW_INTS;
    p[0] = id; p[1] = start; p[2] = end; p[3] = word;
    e->raw_n++;
}

/* WordPiece on the word collected in e->word, then clears it. */
static void mtl__flush_word(mtl__enc_state *s) {
    mtl_encoding *e = s->e;
    const mtl_tokenizer *t = s->t;
    int n = e->word.n, start = 0, mark = e->raw_n;
    int32_t w;
    if (n == 0) return;
    w = s->word_index++;
    if (n > t->opt.max_input_chars_per_word) {
        mtl__push(s, t->unk_id, e->word.first_s, e->word.last_e, w);
        e->word.n = e->word.nbytes = 0;
        mtl__count(s);
        return;
    }
    while (start < n) {
        uint32_t node = start == 0 ? 0u : 1u;
        int b = e->word.bpos[start], bend = e->word.nbytes, best_b = -1;
        int32_t best_id = -1;
        for (; b < bend; b++) {
            node = mtl__child(t, node, e->word.bytes[b]);
            if (node == MTL__NONE) break;
            if (t->node_id[node] >= 0) { best_id = t->node_id[node]; best_b = b + 1; }
        }
        if (best_id < 0) {
            e->raw_n = mark; /* the whole word becomes [UNK] */
            mtl__push(s, t->unk_id, e->word.src_s[0], e->word.src_e[n - 1], w);
            break;
        } else {
            int end = start + 1;
            while (e->word.bpos[end] < best_b) end++;
            mtl__push(s, best_id, e->word.src_s[start], e->word.src_e[end - 1], w);
            start = end;
        }
    }
    e->word.n = e->word.nbytes = 0;
    mtl__count(s);
}
/* Appends a normalized code point, whose original bytes are [src_s, src_e), to the current word. */
static void mtl__word_add(mtl_encoding *e, int max_chars, uint32_t c, int32_t src_s, int32_t src_e) {
    int n = e->word.n;
    if (n == 0) e->word.first_s = src_s;
    e->word.last_e = src_e;
    if (n <= max_chars) {
        e->word.bpos[n] = (uint16_t)e->word.nbytes;
        e->word.src_s[n] = src_s;
        e->word.src_e[n] = src_e;
        e->word.nbytes += mtl__utf8_put(c, e->word.bytes + e->word.nbytes);
        e->word.bpos[n + 1] = (uint16_t)e->word.nbytes;
    }
    if (n < 0x7FFFFFFF) e->word.n = n + 1;
}
/* Pre-tokenizes one normalized code point. */
static void mtl__pretok(mtl__enc_state *s, uint32_t c, int32_t src_s, int32_t src_e) {
    if (c == ' ' || (c > 127 && (mtl__uc_flags(c) & MTL__UC_SPACE)) || (c >= 9 && c <= 13)) {
        mtl__flush_word(s);
    } else if (mtl__is_punct(c)) {
        mtl__flush_word(s);
        mtl__word_add(s->e, s->t->opt.max_input_chars_per_word, c, src_s, src_e);
        mtl__flush_word(s);
    } else {
        mtl__word_add(s->e, s->t->opt.max_input_chars_per_word, c, src_s, src_e);
    }
}
/* strip_accents (NFD, drop Mn) and lowercase on one code point, then pre-tokenize the result. */
static void mtl__norm_tail(mtl__enc_state *s, uint32_t c, int32_t src_s, int32_t src_e) {
    const mtl_tokenizer *t = s->t;
    uint32_t d[MTL__UC_NFD_MAX];
    int nd = 1, k;
    d[0] = c;
    if (t->opt.strip_accents > 0 && c >= 0xC0) nd = mtl__uc_nfd(c, d);
    for (k = 0; k < nd; k++) {
        uint32_t x = d[k];
        if (x >= 0x300 && t->opt.strip_accents > 0 && (mtl__uc_flags(x) & MTL__UC_MN)) continue;
        if (t->opt.lowercase > 0) {
            if (x < 128) {
                if (x >= 'A' && x <= 'Z') x += 32;
            } else if (mtl__uc_flags(x) & MTL__UC_LOWER) {
                uint32_t l[3];
                int nl = mtl__uc_lower(x, l), m;
                for (m = 0; m < nl; m++) mtl__pretok(s, l[m], src_s, src_e);
                continue;
            }
        }
        mtl__pretok(s, x, src_s, src_e);
    }
}
/* ---------------------------------------------------------------------------------------------- */
/* Byte-level BPE: GPT-2's regex on code points -> bytes_to_unicode -> merges by rank.             */
/* ---------------------------------------------------------------------------------------------- */
enum { MTL__RX_SPACE, MTL__RX_L, MTL__RX_N, MTL__RX_O };
/* \s (White_Space), \p{L}, \p{N} or anything else */
static int mtl__rx_class(uint32_t c) {
    unsigned f;
    if (c < 128) {
        if (c == ' ' || (c >= 9 && c <= 13)) return MTL__RX_SPACE;
        if ((c | 32u) >= 'a' && (c | 32u) <= 'z') return MTL__RX_L;
        return c >= '0' && c <= '9' ? MTL__RX_N : MTL__RX_O;
    }
    f = mtl__uc_flags(c);
    return f & MTL__UC_SPACE ? MTL__RX_SPACE : f & MTL__UC_LETTER ? MTL__RX_L : f & MTL__UC_NUMBER ? MTL__RX_N : MTL__RX_O;
}
/* A stretch [a, b) of the text, with ByteLevel's add_prefix_space: position -1 is the added space. */
typedef struct mtl__seg { const unsigned char *u; int32_t a, b; } mtl__seg;
static uint32_t mtl__seg_cp(const mtl__seg *g, int32_t p, int32_t *next) {
    size_t i = (size_t)p;
    uint32_t c;
    if (p < 0) { *next = g->a; return ' '; }
    c = g->u[i];
    if (c < 128) { *next = p + 1; return c; }
    c = mtl__utf8_next(g->u, (size_t)g->b, &i);
    *next = (int32_t)i;
    return c;
}
/* The end of the match of 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ at p
   (leftmost alternative first, as Oniguruma; every character is matched by one of them). */
static int32_t mtl__rx_match(const mtl__seg *g, int32_t p) {
    int32_t q, q2, q3, r, last;
    uint32_t c = mtl__seg_cp(g, p, &q), c2;
    int k;
    if (c == '\'' && q < g->b) {
        c2 = mtl__seg_cp(g, q, &q2);
        if (c2 == 's' || c2 == 't' || c2 == 'm' || c2 == 'd') return q2;
        if ((c2 == 'r' || c2 == 'v' || c2 == 'l') && q2 < g->b) {
            uint32_t c3 = mtl__seg_cp(g, q2, &q3);
            if (((c2 == 'r' || c2 == 'v') && c3 == 'e') || (c2 == 'l' && c3 == 'l')) return q3;
        }
    }
    k = mtl__rx_class(c);
    if (c == ' ' && q < g->b) {   /* " ?" before a letter, number or other run */
        int k2;
        c2 = mtl__seg_cp(g, q, &q2);
        k2 = mtl__rx_class(c2);
        if (k2 != MTL__RX_SPACE) { k = k2; q = q2; }
    }
    if (k != MTL__RX_SPACE) {
        while (q < g->b && mtl__rx_class(mtl__seg_cp(g, q, &q2)) == k) q = q2;
        return q;
    }
    /* \s+(?!\S): the run, less its last character when a non-space follows; else \s+ (one character) */
    last = p;
    r = q;
    while (r < g->b && mtl__rx_class(mtl__seg_cp(g, r, &q2)) == MTL__RX_SPACE) { last = r; r = q2; }
    if (r >= g->b) return r;
    return last > p ? last : r;
}
/* The start of the character that holds byte p (HF reports offsets in characters). */
static int32_t mtl__char_start(const unsigned char *u, size_t len, int32_t p) {
    int32_t q;
    if (p <= 0 || (size_t)p >= len || (u[p] & 0xC0) != 0x80) return p;
    for (q = p - 1; q >= 0 && q >= p - 3; q--) {
        if ((u[q] & 0xC0) != 0x80) {
            size_t i = (size_t)q;
            uint32_t c = mtl__utf8_next(u, len, &i);
            return i > (size_t)p && !(c == 0xFFFD && i - (size_t)q == 1) ? q : p;
        }
    }
    return p;
}
/* Pushes a token of a BPE sequence; with trim_offsets (RobertaProcessing / ByteLevel post-processor),
   HF's process_offsets: leading and trailing 'Ġ' / white space of the token's string leave its offsets
   (not the first token's single added prefix space), counted in characters. The string of an added
   token is the text it matched, with the white space lstrip / rstrip took (HF). */
static void mtl__bpe_push(mtl__enc_state *s, int32_t id, int32_t st, int32_t en, int32_t word, const unsigned char *str, size_t n) {
    const mtl_tokenizer *t = s->t;
    if (t->bpe_trim) {
        const unsigned char *tok = str;
        size_t i = 0;
        int32_t lead = 0, trail = 0, all = 1;
        if (!str) {   /* (a damaged image may name an id without a string: an empty one) */
            tok = (const unsigned char *)t->pool + (t->tok_off[id] == MTL__NONE ? 0u : t->tok_off[id]);
            n = t->tok_off[id] == MTL__NONE ? 0u : t->tok_len[id];
        }
        while (i < n) {
            uint32_t c = mtl__utf8_next(tok, n, &i);
            int sp = c == 0x120 || c == ' ' || (c >= 9 && c <= 13) || (c > 127 && (mtl__uc_flags(c) & MTL__UC_SPACE));
            if (sp) { trail++; if (all) lead++; }
            else { trail = 0; all = 0; }
        }
        if (lead || trail) {   /* in characters: HF trims the code point offsets that Python reports */
            if (lead) {
                int first = s->e->raw_n == s->base || st == 0;
                if (first && t->bpe_trim_prefix && lead == 1) lead = 0;
                for (; lead > 0 && st < en; lead--) {
                    size_t x = (size_t)st;
                    mtl__utf8_next(s->text, s->len, &x);
                    st = (int32_t)x < en ? (int32_t)x : en;
                }
            }
            if (trail) {
                int32_t e2 = en, k2;
                for (k2 = 0; k2 < trail && e2 > 0; k2++) e2 = mtl__char_start(s->text, s->len, e2 - 1);
                if (k2 == trail) en = e2 > st ? e2 : st;
            }
        }
    }
    mtl__push(s, id, st, en, word);
}
/* One pre-tokenized word [p, q) of g: bytes -> byte-level symbols -> merges (HF's Word::merge_all: a
   min-heap of (rank, position), stale entries skipped), then its tokens. The symbols and the heap live
   in e->raw after the room for the word's tokens (14 ints per byte, reused: no allocation per token). */
static void mtl__bpe_word(mtl__enc_state *s, const mtl__seg *g, int32_t p, int32_t q) {
    const mtl_tokenizer *t = s->t;
    mtl_encoding *e = s->e;
    int32_t w = s->word_index++, pos, np, nb = 0, nh = 0, k, ws = 0, we = 0, v0e;
    int32_t *id, *ss, *se, *prv, *nxt, *heap;
    uint32_t node = 0;
    size_t need = 0;
    mtl__seg_cp(g, g->a, &v0e);   /* the added space is aligned to the first character */
    for (pos = p; pos < q; pos = np) {
        uint32_t c = mtl__seg_cp(g, pos, &np);
        need += c < 0x80 ? 1u : c < 0x800 ? 2u : c < 0x10000 ? 3u : 4u;
    }
    if (need == 0) return;
    if (need > 0x1000000u) { s->r = mtl__err(s->err, MTL_ERR_TOO_LONG, "a pre-tokenized word of more than 2^24 bytes"); return; }
    if ((s->r = mtl__raw_reserve(e, e->raw_n + (int)need * 5 + 1, s->err)) != MTL_OK) return;
    id = e->raw + (size_t)(e->raw_n + (int)need) * MTL__RAW_INTS;
    ss = id + need; se = ss + need; prv = se + need; nxt = prv + need; heap = nxt + need;
    for (pos = p; pos < q; pos = np) {
        uint32_t c = mtl__seg_cp(g, pos, &np);
        unsigned char ub[4];
        int n = mtl__utf8_put(c, ub), m;
        int32_t cs = pos < 0 ? g->a : pos, ce = pos < 0 ? v0e : np;
        if (pos == p) ws = cs;
        we = ce;
        for (m = 0; m < n; m++) {
            int32_t bid = t->byte_id[ub[m]];
            if (t->bpe_ignore_merges && node != MTL__NONE) {
                unsigned char cb[2];
                int nc = mtl__utf8_put(mtl__bl_char(ub[m]), cb), x;
                for (x = 0; x < nc && node != MTL__NONE; x++) node = mtl__child(t, node, cb[x]);
            }
            if (bid < 0) continue;   /* a byte without a token (and no unk token): dropped, as HF */
            id[nb] = bid; ss[nb] = cs; se[nb] = ce; prv[nb] = nb - 1; nxt[nb] = nb + 1;
            nb++;
        }
    }
    if (t->bpe_ignore_merges && node != MTL__NONE && node != 0 && t->node_id[node] >= 0) {
        mtl__bpe_push(s, t->node_id[node], ws, we, w, NULL, 0);
        return;
    }
    if (nb == 0) return;
    nxt[nb - 1] = -1;
#define MTL__HLESS(x, y) (heap[3 * (x)] < heap[3 * (y)] || (heap[3 * (x)] == heap[3 * (y)] && heap[3 * (x) + 1] < heap[3 * (y) + 1]))
#define MTL__HPUSH(rk, ps, ni)                                                                           \
    do {                                                                                                \
        int32_t h_ = nh++;                                                                               \
        heap[3 * h_] = (rk); heap[3 * h_ + 1] = (ps); heap[3 * h_ + 2] = (ni);                           \
        while (h_ > 0 && MTL__HLESS(h_, (h_ - 1) / 2)) {                                                 \
            int32_t u_ = (h_ - 1) / 2, z_;                                                               \
            for (z_ = 0; z_ < 3; z_++) { int32_t tmp_ = heap[3 * h_ + z_]; heap[3 * h_ + z_] = heap[3 * u_ + z_]; heap[3 * u_ + z_] = tmp_; } \
            h_ = u_;                                                                                     \
        }                                                                                               \
    } while (0)
    for (k = 0; k + 1 < nb; k++) {
        int32_t rk, ni;
        if (mtl__bpe_merge(t, id[k], id[k + 1], &rk, &ni)) MTL__HPUSH(rk, k, ni);
    }
    while (nh > 0) {
        int32_t ps = heap[1], ni = heap[2], r, rk, ni2, h = 0, z;
        /* pop */
        nh--;
        for (z = 0; z < 3; z++) heap[z] = heap[3 * nh + z];
        for (;;) {
            int32_t l = 2 * h + 1, m = h;
            if (l < nh && MTL__HLESS(l, m)) m = l;
            if (l + 1 < nh && MTL__HLESS(l + 1, m)) m = l + 1;
            if (m == h) break;
            for (z = 0; z < 3; z++) { int32_t tmp = heap[3 * h + z]; heap[3 * h + z] = heap[3 * m + z]; heap[3 * m + z] = tmp; }
            h = m;
        }
        if (ss[ps] < 0 || nxt[ps] < 0) continue;   /* merged away, or the last symbol */
        r = nxt[ps];
        if (!mtl__bpe_merge(t, id[ps], id[r], &rk, &ni2) || ni2 != ni) continue;   /* a stale entry */
        id[ps] = ni; se[ps] = se[r]; ss[r] = -1;
        nxt[ps] = nxt[r];
        if (nxt[r] >= 0) prv[nxt[r]] = ps;
        if (prv[ps] >= 0 && mtl__bpe_merge(t, id[prv[ps]], id[ps], &rk, &ni2)) MTL__HPUSH(rk, prv[ps], ni2);
        if (nxt[ps] >= 0 && mtl__bpe_merge(t, id[ps], id[nxt[ps]], &rk, &ni2)) MTL__HPUSH(rk, ps, ni2);
    }
#undef MTL__HPUSH
#undef MTL__HLESS
    for (k = 0; k >= 0 && s->r == MTL_OK; k = nxt[k]) mtl__bpe_push(s, id[k], ss[k], se[k], w, NULL, 0);
}
/* ByteLevel pre-tokenization of text[a, b) (a stretch without added tokens), then BPE per word. */
static void mtl__bpe_span(mtl__enc_state *s, const unsigned char *text, size_t a, size_t b) {
    mtl__seg g;
    int32_t p;
    if (a >= b) return;
    g.u = text; g.a = (int32_t)a; g.b = (int32_t)b;
    p = s->t->bpe_prefix_space && text[a] != ' ' ? -1 : g.a;
    while (p < g.b && s->r == MTL_OK && !s->stop) {
        int32_t q = s->t->bpe_regex ? mtl__rx_match(&g, p) : g.b;
        mtl__bpe_word(s, &g, p, q);
        mtl__count(s);
        p = q;
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* SentencePiece Unigram: Precompiled normalizer -> Metaspace -> Viterbi over the pieces' scores.  */
/* ---------------------------------------------------------------------------------------------- */
#ifndef MTL_NO_UNIGRAM
/* UAX #29 extended grapheme clusters (HF's unicode-segmentation), one code point at a time:
   whether there is a boundary before a code point of class `cur` (GB3-GB13; GB9c, Unicode 15.1's
   Indic conjuncts, is not applied: it only joins clusters of 9 bytes or more, which the Precompiled
   normalizer handles character by character either way). */
typedef struct mtl__gcb { unsigned prev; int pict, ri; } mtl__gcb;
static void mtl__gcb_start(mtl__gcb *g, unsigned cur) {
    g->prev = cur; g->pict = cur == MTL__GCB_EXTPICT; g->ri = cur == MTL__GCB_RI;
}
static int mtl__gcb_break(mtl__gcb *g, unsigned cur) {
    unsigned p = g->prev;
    int brk;
    if (p == MTL__GCB_CR && cur == MTL__GCB_LF) brk = 0;                                                   /* GB3  */
    else if (p == MTL__GCB_CR || p == MTL__GCB_LF || p == MTL__GCB_CONTROL) brk = 1;                       /* GB4  */
    else if (cur == MTL__GCB_CR || cur == MTL__GCB_LF || cur == MTL__GCB_CONTROL) brk = 1;                 /* GB5  */
    else if (p == MTL__GCB_L && (cur == MTL__GCB_L || cur == MTL__GCB_V || cur == MTL__GCB_LV || cur == MTL__GCB_LVT)) brk = 0;
    else if ((p == MTL__GCB_LV || p == MTL__GCB_V) && (cur == MTL__GCB_V || cur == MTL__GCB_T)) brk = 0;   /* GB7  */
    else if ((p == MTL__GCB_LVT || p == MTL__GCB_T) && cur == MTL__GCB_T) brk = 0;                         /* GB8  */
    else if (cur == MTL__GCB_EXTEND || cur == MTL__GCB_ZWJ || cur == MTL__GCB_SPACINGMARK) brk = 0;        /* GB9, GB9a */
    else if (p == MTL__GCB_PREPEND) brk = 0;                                                               /* GB9b */
    else if (g->pict == 2 && cur == MTL__GCB_EXTPICT) brk = 0;                                             /* GB11 */
    else if (p == MTL__GCB_RI && cur == MTL__GCB_RI && (g->ri & 1)) brk = 0;                               /* GB12, GB13 */
    else brk = 1;                                                                                          /* GB999 */
    /* pict: 1 after ExtPict Extend*, 2 after ExtPict Extend* ZWJ */
    g->pict = cur == MTL__GCB_EXTPICT ? 1 : (cur == MTL__GCB_EXTEND && g->pict == 1) ? 1 : (cur == MTL__GCB_ZWJ && g->pict == 1) ? 2 : 0;
    g->ri = cur == MTL__GCB_RI ? g->ri + 1 : 0;
    g->prev = cur;
    return brk;
}
static unsigned mtl__gcb_of(uint32_t c) {
    if (c < 128) return c == 13 ? MTL__GCB_CR : c == 10 ? MTL__GCB_LF : (c < 32 || c == 127) ? MTL__GCB_CONTROL : MTL__GCB_OTHER;
    return mtl__uc_gcb(c);
}

/* The Precompiled normalizer's double array (Darts, as SentencePiece writes it): the replacement of
   the SHORTEST key that is a prefix of s[0, n) (HF's Precompiled::transform takes the first result of
   a common prefix search), or NULL; *rlen gets its length. Every read is checked against the array. */
static const unsigned char *mtl__cm_find(const mtl_tokenizer *t, const unsigned char *s, size_t n, size_t *rlen) {
    uint32_t pos, unit = 0;
    size_t i;
    if (!t->cm_n || !n) return NULL;
    if (s[0] < 128 && !(t->cm_ascii[(n == 1 ? 16 : 0) + (s[0] >> 3)] & (1u << (s[0] & 7)))) return NULL;
    pos = mtl__cm_offset(mtl__cm_u32(t->cm_units));
    for (i = 0; i < n && s[i]; i++) {
        if ((pos = mtl__cm_step(t->cm_units, t->cm_n, pos, s[i], &unit)) == MTL__NONE) return NULL;
        if ((unit >> 8) & 1u) {   /* a key ends here: its value is the offset of the replacement */
            uint32_t v, e;
            if (pos >= t->cm_n) return NULL;
            v = mtl__cm_u32(t->cm_units + 4 * (size_t)pos) & 0x7FFFFFFFu;
            if (v > t->cm_str_len) return NULL;   /* (HF would panic: a damaged charsmap entry is ignored) */
            for (e = v; e < t->cm_str_len && t->cm_str[e]; e++) {}
            if ((v < t->cm_str_len && (t->cm_str[v] & 0xC0) == 0x80)) return NULL;   /* not at a character */
            *rlen = e - v;
            return t->cm_str + v;
        }
    }
    return NULL;
}

/* HF's NormalizedString alignments through the Precompiled normalizer's transformations: each output
   character comes with a change (0: replaces an input character, > 0: inserted, aligned like the
   character before it, < 0: replaces one and removes -change more). Input characters are consumed in
   order by a cursor (HF's replaced_normalized iterator). The last transformation is held back, since a
   deletion (a replacement by nothing) adds its change to the one before it (HF's replace()). */
typedef struct mtl__pc {
    const unsigned char *u;    /* the original text, its span end, the cursor in it */
    size_t b, cur;
    int32_t ps, pe, base;      /* the alignment of the last consumed character; (base, base) before any */
    int any;
    unsigned char *out;        /* NULL: only count */
    int32_t *al;
    size_t n;
    uint32_t pc;               /* the held-back transformation */
    long pchange;
    int pending;
} mtl__pc;
static void mtl__pc_consume(mtl__pc *p) {
    size_t x = p->cur;
    if (x >= p->b) return;
    mtl__utf8_next(p->u, p->b, &x);
    p->ps = (int32_t)p->cur; p->pe = (int32_t)x; p->any = 1;
    p->cur = x;
}
static void mtl__pc_apply(mtl__pc *p, uint32_t c, long change) {
    int32_t as, ae;
    unsigned char tmp[4];
    int k, m = mtl__utf8_put(c, tmp);
    if (change > 0) {
        if (p->any) { as = p->ps; ae = p->pe; } else { as = ae = p->base; }
    } else {   /* aligned like the character it replaces (none left: at the end) */
        if (p->cur < p->b) { mtl__pc_consume(p); as = p->ps; ae = p->pe; }
        else { as = ae = (int32_t)p->b; }
        for (; change < 0; change++) mtl__pc_consume(p);
    }
    for (k = 0; k < m; k++, p->n++) {
        if (!p->out) continue;
        p->out[p->n] = tmp[k];
        p->al[2 * p->n] = as; p->al[2 * p->n + 1] = ae;
    }
}
static void mtl__pc_emit(mtl__pc *p, uint32_t c, long change) {
    if (p->pending) mtl__pc_apply(p, p->pc, p->pchange);
    p->pc = c; p->pchange = change; p->pending = 1;
}
static void mtl__pc_flush(mtl__pc *p) {
    if (p->pending) mtl__pc_apply(p, p->pc, p->pchange);
    p->pending = 0;
}
/* The characters of r[0, rn) replacing `old` characters (HF's replace(): change 0 each, the last
   new - old of them 1 when it grows; when it shrinks the last transformation gets new - old more). */
static void mtl__pc_replace(mtl__pc *p, const unsigned char *r, size_t rn, long old) {
    size_t i = 0;
    long count = 0, k = 0, diff;
    while (i < rn) { mtl__utf8_next(r, rn, &i); count++; }
    diff = count - old;
    for (i = 0; i < rn; k++) {
        uint32_t c = mtl__utf8_next(r, rn, &i);
        mtl__pc_emit(p, c, diff > 0 && k >= count - diff ? 1 : 0);
    }
    if (diff < 0 && p->pending) p->pchange += diff;
}
/* The Precompiled normalizer (or none) on text[a, b): per grapheme of fewer than 6 bytes, its
   replacement if a prefix of it is a key; else per character. Writes the normalized bytes and their
   alignments (original start, end per byte) when out is given; returns the length. */
static size_t mtl__uni_precompiled(const mtl_tokenizer *t, const unsigned char *u, size_t a, size_t b, unsigned char *out, int32_t *al) {
    mtl__pc p;
    mtl__gcb g;
    size_t gs = a, pos;
    uint32_t c0;
    memset(&p, 0, sizeof p);
    p.u = u; p.b = b; p.cur = a; p.base = (int32_t)a; p.out = out; p.al = al;
    if (a >= b) return 0;
    pos = a;
    c0 = mtl__utf8_next(u, b, &pos);
    mtl__gcb_start(&g, mtl__gcb_of(c0));
    while (gs < b) {
        size_t ge = pos, next = b, clen = 0, x;
        unsigned char gb[8];
        long nch = 0;
        const unsigned char *r = NULL;
        size_t rn = 0;
        while (ge < b) {   /* the grapheme [gs, ge); the code point at ge (if any) is in g already */
            size_t y = ge;
            uint32_t c = mtl__utf8_next(u, b, &y);
            if (mtl__gcb_break(&g, mtl__gcb_of(c))) { next = y; break; }
            ge = y;
        }
        for (x = gs; x < ge; nch++) {   /* its text as UTF-8 (an invalid byte: U+FFFD), if under 6 bytes */
            uint32_t c = mtl__utf8_next(u, ge, &x);
            unsigned char cb[4];
            int m = mtl__utf8_put(c, cb);
            if (clen + (size_t)m < 6) memcpy(gb + clen, cb, (size_t)m);
            clen += (size_t)m;
        }
        if (clen < 6) r = mtl__cm_find(t, gb, clen, &rn);
        if (r) mtl__pc_replace(&p, r, rn, nch);
        else {
            for (x = gs; x < ge;) {
                uint32_t c = mtl__utf8_next(u, ge, &x);
                unsigned char cb[4];
                int m = mtl__utf8_put(c, cb);
                r = mtl__cm_find(t, cb, (size_t)m, &rn);
                if (r) mtl__pc_replace(&p, r, rn, 1);
                else mtl__pc_emit(&p, c, 0);
            }
        }
        gs = ge;
        pos = next;
    }
    mtl__pc_flush(&p);
    return p.n;
}
static int mtl__is_ws(uint32_t c) {   /* Rust's char::is_whitespace (White_Space) */
    return c == ' ' || (c >= 9 && c <= 13) || (c > 127 && (mtl__uc_flags(c) & MTL__UC_SPACE));
}
/* The rest of the normalizer: Strip, then Replace(" {2,}" -> content: one character for a run of two
   or more spaces, aligned to its last space, as HF's replace aligns an insertion), from n1/a1 into
   n2/a2 (NULL: only count); returns the length. */
static size_t mtl__uni_norm2(const mtl_tokenizer *t, const unsigned char *n1, const int32_t *a1, size_t len, unsigned char *n2, int32_t *a2) {
    size_t s = 0, e = len, i, o = 0;
    int k;
    if (t->uni_norm & MTL__UN_LSTRIP)
        while (s < e) { size_t y = s; if (!mtl__is_ws(mtl__utf8_next(n1, e, &y))) break; s = y; }
    if (t->uni_norm & MTL__UN_RSTRIP)
        while (e > s) {
            size_t q = e - 1, y;
            while (q > s && (n1[q] & 0xC0) == 0x80) q--;
            y = q;
            if (!mtl__is_ws(mtl__utf8_next(n1, e, &y))) break;
            e = q;
        }
    for (i = s; i < e;) {
        size_t q = i;
        if (t->uni_collapse && n1[i] == ' ') while (q < e && n1[q] == ' ') q++;
        if (q - i >= 2) {
            unsigned char cb[4];
            int m = mtl__utf8_put(t->uni_collapse, cb);
            for (k = 0; k < m; k++, o++) if (n2) { n2[o] = cb[k]; a2[2 * o] = a1[2 * (q - 1)]; a2[2 * o + 1] = a1[2 * (q - 1) + 1]; }
            i = q;
        } else {
            if (n2) { n2[o] = n1[i]; a2[2 * o] = a1[2 * i]; a2[2 * o + 1] = a1[2 * i + 1]; }
            o++; i++;
        }
    }
    return o;
}
/* Metaspace on one pre-token n2[ps, pe): each space -> the replacement (aligned to the space), then the
   replacement prepended (aligned to the first character) unless the piece starts with it; into n3/a3
   (NULL: only count); returns the length. */
static size_t mtl__uni_meta(const mtl_tokenizer *t, const unsigned char *n2, const int32_t *a2, size_t ps, size_t pe, int first,
                            unsigned char *n3, int32_t *a3) {
    unsigned char rb[4];
    int rl = mtl__utf8_put(t->uni_repl, rb), k, pre;
    size_t i, o = 0, x = ps;
    uint32_t c0;
    if (ps >= pe) return 0;
    c0 = mtl__utf8_next(n2, pe, &x);
    pre = t->uni_prepend != 2 && (t->uni_prepend == 0 || first) && c0 != ' ' && c0 != t->uni_repl;
    if (pre) {
        for (k = 0; k < rl; k++, o++) if (n3) { n3[o] = rb[k]; a3[2 * o] = a2[2 * ps]; a3[2 * o + 1] = a2[2 * ps + 1]; }
    }
    for (i = ps; i < pe; i++) {
        if (n2[i] == ' ') {
            for (k = 0; k < rl; k++, o++) if (n3) { n3[o] = rb[k]; a3[2 * o] = a2[2 * i]; a3[2 * o + 1] = a2[2 * i + 1]; }
        } else {
            if (n3) { n3[o] = n2[i]; a3[2 * o] = a2[2 * i]; a3[2 * o + 1] = a2[2 * i + 1]; }
            o++;
        }
    }
    return o;
}
/* The next pre-token of n2 from *p: with WhitespaceSplit a run of non-white-space (*s, *e), else all of
   it once. 0 when there is none. */
static int mtl__uni_pretok(const mtl_tokenizer *t, const unsigned char *n2, size_t len, size_t *p, size_t *s, size_t *e) {
    size_t i = *p;
    if (!t->uni_wsplit) {
        if (i > 0 || len == 0) return 0;
        *s = 0; *e = len; *p = len;
        return 1;
    }
    for (;;) {   /* skip white space */
        size_t y = i;
        if (i >= len) return 0;
        if (!mtl__is_ws(mtl__utf8_next(n2, len, &y))) break;
        i = y;
    }
    *s = i;
    while (i < len) { size_t y = i; if (mtl__is_ws(mtl__utf8_next(n2, len, &y))) break; i = y; }
    *e = *p = i;
    return 1;
}
/* Unigram on one pre-tokenized word w[0, m) (HF's encode_optimized): best[k] / from[k] / pid[k] is the
   best path to byte k (scores summed in double, in HF's order, ties kept by the first found), then the
   path backwards; consecutive unknown pieces are fused; a fused unknown is one piece if the vocabulary
   has it, else its bytes' "<0xXX>" pieces (byte_fallback, when all exist), else unk. vb: 5 (m + 1) ints. */
static void mtl__uni_word(mtl__enc_state *s, const unsigned char *w, int32_t m, const int32_t *al, int32_t *vb) {
    const mtl_tokenizer *t = s->t;
    int32_t *from = vb + 2 * (m + 1), *pid = from + (m + 1), *path = pid + (m + 1), pos, np = 0, k, wid = s->word_index++;
    int32_t run_s = -1, run_e = -1;
    double zero = 0.0;
    for (k = 0; k <= m; k++) from[k] = -1;
    memcpy(vb, &zero, sizeof zero);
    for (pos = 0; pos < m;) {
        size_t x = (size_t)pos;
        int32_t mblen, q, key;
        uint32_t node = 0;
        int single = 0;
        double base, sc, cand, best;
        mtl__utf8_next(w, (size_t)m, &x);
        mblen = (int32_t)x - pos;
        memcpy(&base, vb + 2 * pos, sizeof base);
        for (q = pos; q < m; q++) {
            int32_t id;
            node = mtl__child(t, node, w[q]);
            if (node == MTL__NONE) break;
            if ((id = t->node_id[node]) < 0) continue;
            key = q + 1;
            memcpy(&sc, t->uni_scores + 8 * (size_t)id, sizeof sc);
            cand = sc + base;
            memcpy(&best, vb + 2 * key, sizeof best);
            if (from[key] < 0 || cand > best) { memcpy(vb + 2 * key, &cand, sizeof cand); from[key] = pos; pid[key] = id; }
            if (key - pos == mblen) single = 1;
        }
        if (!single) {
            if (t->unk_id < 0) {
                s->r = mtl__err(s->err, MTL_ERR_UNSUPPORTED, "Unigram: a character that no piece covers and no unk_id (HF: \"Encountered an unknown token but `unk_id` is missing\")");
                return;
            }
            key = pos + mblen;
            cand = t->uni_unk_score + base;
            memcpy(&best, vb + 2 * key, sizeof best);
            if (from[key] < 0 || cand > best) { memcpy(vb + 2 * key, &cand, sizeof cand); from[key] = pos; pid[key] = t->unk_id; }
        }
        pos += mblen;
    }
    for (k = m; k > 0; k = from[k]) path[np++] = k;
    for (k = np - 1; k >= -1 && s->r == MTL_OK; k--) {
        int32_t end = k >= 0 ? path[k] : -1, st = k >= 0 ? from[end] : -1, id = k >= 0 ? pid[end] : -1;
        if (k >= 0 && id == t->unk_id) {   /* fuse consecutive unknowns */
            if (run_s < 0) run_s = st;
            run_e = end;
            continue;
        }
        if (run_s >= 0) {
            int32_t fid = mtl__trie_find(t, 0, w + run_s, (size_t)(run_e - run_s)), b;
            int all = t->uni_byte_fallback && fid < 0;
            for (b = run_s; all && b < run_e; b++) all = t->byte_id[w[b]] >= 0;
            if (all) for (b = run_s; b < run_e; b++) mtl__push(s, t->byte_id[w[b]], al[2 * run_s], al[2 * (run_e - 1) + 1], wid);
            else mtl__push(s, fid >= 0 ? fid : t->unk_id, al[2 * run_s], al[2 * (run_e - 1) + 1], wid);
            run_s = -1;
        }
        if (k >= 0) mtl__push(s, id, al[2 * st], al[2 * (end - 1) + 1], wid);
    }
}
/* Normalizes, pre-tokenizes and tokenizes text[a, b) (a stretch without added tokens). Scratch lives in
   e->raw after the room for the tokens (at most one per byte of the pre-tokens): the normalized text
   (n1, then n2) and a pre-token at a time (n3) with their alignments, the Viterbi arrays. */
static void mtl__uni_span(mtl__enc_state *s, const unsigned char *text, size_t a, size_t b) {
    const mtl_tokenizer *t = s->t;
    mtl_encoding *e = s->e;
    size_t n1, n2, n3 = 0, n3max = 0, p = 0, ps, pe, i1, need;
    int32_t *a1, *a2, *a3, *vb;
    unsigned char *b1, *b2, *b3, rb[4];
    int rl = mtl__utf8_put(t->uni_repl, rb);
#define MTL__UNI_INTS(x) (((x) + 3) / 4 + 2 * (x))   /* bytes + alignments, in ints */
    if (a >= b) return;
    n1 = mtl__uni_precompiled(t, text, a, b, NULL, NULL);
    if (n1 == 0) return;
    if (n1 > 0x800000u) {
        s->r = mtl__err(s->err, MTL_ERR_TOO_LONG, "Unigram: %zu bytes of normalized text between added tokens (the limit is 2^23)", n1);
        return;
    }
    /* n1 first, right after the tokens; then, with the sizes known, moved up past the token room */
    i1 = (size_t)e->raw_n * MTL__RAW_INTS;
    if ((s->r = mtl__raw_reserve(e, (int)((i1 + MTL__UNI_INTS(n1)) / MTL__RAW_INTS + 1), s->err)) != MTL_OK) return;
    a1 = e->raw + i1;
    b1 = (unsigned char *)(a1 + 2 * n1);
    mtl__uni_precompiled(t, text, a, b, b1, a1);
    n2 = mtl__uni_norm2(t, b1, a1, n1, NULL, NULL);
    /* n2 is needed to count the pre-tokens: it goes after n1 for now */
    need = i1 + MTL__UNI_INTS(n1) + MTL__UNI_INTS(n2);
    if (need / MTL__RAW_INTS > 0x7FFFFFu) { s->r = mtl__err(s->err, MTL_ERR_TOO_LONG, "Unigram: text too long"); return; }
    if ((s->r = mtl__raw_reserve(e, (int)(need / MTL__RAW_INTS + 1), s->err)) != MTL_OK) return;
    a1 = e->raw + i1;
    b1 = (unsigned char *)(a1 + 2 * n1);
    a2 = a1 + MTL__UNI_INTS(n1);
    b2 = (unsigned char *)(a2 + 2 * n2);
    mtl__uni_norm2(t, b1, a1, n1, b2, a2);
    while (mtl__uni_pretok(t, b2, n2, &p, &ps, &pe)) {
        size_t m = mtl__uni_meta(t, b2, a2, ps, pe, t->uni_wsplit ? a2[2 * ps] == 0 : a == 0, NULL, NULL);
        n3 += m;
        if (m > n3max) n3max = m;
    }
    /* final layout: [tokens: n3][n2][n3max][Viterbi: 5 (n3max + 1)]; n1 is no longer needed */
    need = i1 + n3 * MTL__RAW_INTS + MTL__UNI_INTS(n2) + MTL__UNI_INTS(n3max) + 5 * (n3max + 1);
    if (need / MTL__RAW_INTS > 0x7FFFFFu) { s->r = mtl__err(s->err, MTL_ERR_TOO_LONG, "Unigram: text too long"); return; }
    if ((s->r = mtl__raw_reserve(e, (int)(need / MTL__RAW_INTS + 1), s->err)) != MTL_OK) return;
    a2 = e->raw + i1 + n3 * MTL__RAW_INTS;
    memmove(a2, e->raw + i1 + MTL__UNI_INTS(n1), MTL__UNI_INTS(n2) * sizeof(int32_t));
    b2 = (unsigned char *)(a2 + 2 * n2);
    a3 = a2 + MTL__UNI_INTS(n2);
    b3 = (unsigned char *)(a3 + 2 * n3max);
    vb = a3 + MTL__UNI_INTS(n3max);
#undef MTL__UNI_INTS
    p = 0;
    while (s->r == MTL_OK && !s->stop && mtl__uni_pretok(t, b2, n2, &p, &ps, &pe)) {
        size_t m = mtl__uni_meta(t, b2, a2, ps, pe, t->uni_wsplit ? a2[2 * ps] == 0 : a == 0, b3, a3), ws = 0;
        while (ws < m && s->r == MTL_OK && !s->stop) {   /* Metaspace's split: each replacement starts a word */
            size_t we = m;
            if (t->uni_split) {
                size_t y = ws;
                mtl__utf8_next(b3, m, &y);
                for (we = y; we < m;) {
                    size_t z = we;
                    if (mtl__utf8_next(b3, m, &z) == t->uni_repl && (int)(z - we) == rl) break;
                    we = z;
                }
            }
            mtl__uni_word(s, b3 + ws, (int32_t)(we - ws), a3 + 2 * ws, vb);
            mtl__count(s);
            ws = we;
        }
    }
}
#endif /* MTL_NO_UNIGRAM */

/* Normalizes and tokenizes text[a, b) (a stretch without added tokens). */
static void mtl__encode_span(mtl__enc_state *s, const unsigned char *text, size_t a, size_t b) {
    const mtl_tokenizer *t = s->t;
    size_t i = a;
    int clean = t->opt.clean_text > 0, cjk = t->opt.handle_chinese_chars > 0, maxc = t->opt.max_input_chars_per_word;
    int lower = t->opt.lowercase > 0;
    if (t->model == MTL__MODEL_BPE) { mtl__bpe_span(s, text, a, b); return; }
#ifndef MTL_NO_UNIGRAM
    if (t->model == MTL__MODEL_UNIGRAM) { mtl__uni_span(s, text, a, b); return; }
#else
    if (t->model == MTL__MODEL_UNIGRAM) { s->r = mtl__err(s->err, MTL_ERR_UNSUPPORTED, "Unigram: this mtl was built with MTL_NO_UNIGRAM"); return; }
#endif
    while (i < b && s->r == MTL_OK && !s->stop) {
        size_t p = i;
        uint32_t c = text[i];
        if (c < 128) {
            /* ASCII fast path: control removal, whitespace, punctuation, lowercase */
            i++;
            if (c <= 32 || c == 127) {
                if (c == 32 || c == 9 || c == 10 || c == 13) { mtl__flush_word(s); continue; }
                if (clean) continue;                                  /* other C0 controls, DEL: Cc, removed */
                if (c == 11 || c == 12) { mtl__flush_word(s); continue; } /* \v \f: White_Space */
                mtl__word_add(s->e, maxc, c, (int32_t)p, (int32_t)i);
                continue;
            }
            if (mtl__is_punct(c)) {
                mtl__flush_word(s);
                mtl__word_add(s->e, maxc, c, (int32_t)p, (int32_t)i);
                mtl__flush_word(s);
                continue;
            }
            if (lower && c >= 'A' && c <= 'Z') c += 32;
            mtl__word_add(s->e, maxc, c, (int32_t)p, (int32_t)i);
            continue;
        }
        c = mtl__utf8_next(text, b, &i);
        if (clean) {
            unsigned f;
            if (c == 0xFFFD) continue;
            f = mtl__uc_flags(c);
            if (f & MTL__UC_OTHER) continue;
            if (f & MTL__UC_SPACE) { mtl__flush_word(s); continue; }
        }
        if (cjk && mtl__is_cjk(c)) {
            mtl__flush_word(s);
            mtl__norm_tail(s, c, (int32_t)p, (int32_t)i);
            mtl__flush_word(s);
            continue;
        }
        mtl__norm_tail(s, c, (int32_t)p, (int32_t)i);
    }
    mtl__flush_word(s);
}
/* The tokens of one sequence (without special tokens) appended to e->raw; *capped gets the length
   HF compares for pair truncation (see mtl__enc_state), limit = max_length or 0. */
static mtl_result mtl__encode_seq(const mtl_tokenizer *t, const char *text, size_t len, int limit, int *capped,
                                  mtl_encoding *e, mtl_error *err) {
    mtl__enc_state s;
    const unsigned char *u = (const unsigned char *)text;
    size_t i = 0, span = 0;
    s.t = t; s.e = e; s.err = err; s.word_index = 0; s.r = MTL_OK;
    s.limit = limit; s.base = e->raw_n; s.capped = -1; s.stop = 0;
    s.text = u; s.len = len;
    e->word.n = e->word.nbytes = 0;
    if (len > 0x7FFFFFFF) return mtl__err(err, MTL_ERR_TOO_LONG, "text of %zu bytes: the limit is 2^31-1", len);
    if (len && !text) return mtl__err(err, MTL_ERR_ARG, "text is NULL");
    if (t->n_added) {
        while (i < len && s.r == MTL_OK && !s.stop) {
            unsigned char c = u[i];
            int k, hit = -1;
            if (t->added_first[c >> 3] & (1u << (c & 7))) {
                for (k = 0; k < t->n_added; k++) {
                    const mtl__added *a = &t->added[k];
                    if (a->len <= len - i && memcmp(u + i, t->pool + a->off, a->len) == 0) { hit = k; break; }
                }
            }
            if (hit < 0) { i++; continue; }
            {
                const mtl__added *a = &t->added[hit];
                size_t ms = i, me = i + a->len;
                /* lstrip / rstrip: the white space (Unicode White_Space, as Rust's is_whitespace) next to it */
                while (a->lstrip && ms > span) {
                    size_t cs = (size_t)mtl__char_start(u, len, (int32_t)(ms - 1)), x = cs;
                    uint32_t cc = mtl__utf8_next(u, len, &x);
                    if (cs < span || !(cc == ' ' || (cc >= 9 && cc <= 13) || (cc > 127 && (mtl__uc_flags(cc) & MTL__UC_SPACE)))) break;
                    ms = cs;
                }
                while (a->rstrip && me < len) {
                    size_t x = me;
                    uint32_t cc = mtl__utf8_next(u, len, &x);
                    if (!(cc == ' ' || (cc >= 9 && cc <= 13) || (cc > 127 && (mtl__uc_flags(cc) & MTL__UC_SPACE)))) break;
                    me = x;
                }
                mtl__encode_span(&s, u, span, ms);
                if (s.r) break;
                if (s.stop) break;
                /* HF 0.23.2 checks the length for truncation after the model's words only, not after an
                   added token (every model: "a [MASK] [MASK] [MASK] [MASK] b c d" / "qzxjv" at max_length 4) */
                if (t->model != MTL__MODEL_WORDPIECE) mtl__bpe_push(&s, a->id, (int32_t)ms, (int32_t)me, s.word_index++, u + ms, me - ms);
                else mtl__push(&s, a->id, (int32_t)ms, (int32_t)me, s.word_index++);
                span = i = me;
            }
        }
    }
    if (s.r == MTL_OK && !s.stop) mtl__encode_span(&s, u, span, len);
    *capped = s.capped >= 0 ? s.capped : e->raw_n - s.base;
    if (s.stop) *capped = -*capped - 1; /* negative: stopped early, more text followed */
    return s.r;
}

/* Appends one output token. */
static void mtl__out(mtl_encoding *e, int32_t id, int32_t type, int32_t special, int32_t word, int32_t seq, int32_t st, int32_t en) {
    int n = e->n++;
    e->ids[n] = id; e->type_ids[n] = type; e->attention_mask[n] = 1; e->special_tokens_mask[n] = special;
    e->word_ids[n] = word; e->sequence_ids[n] = seq; e->offsets[2 * n] = st; e->offsets[2 * n + 1] = en;
}

/* Appends raw token i (of sequence seq) as an output token. */
static void mtl__out_raw(mtl_encoding *e, int i, int32_t type, int32_t seq) {
    const int32_t *p = e->raw + (size_t)i * MTL__RAW_INTS;
    mtl__out(e, p[0], type, 0, p[3], seq, p[1], p[2]);
}

static mtl_result mtl__encode(const mtl_tokenizer *t, const char *a, size_t alen, const char *b, size_t blen, int is_pair,
                              const mtl_encode_options *opt, mtl_encoding *e, mtl_error *err) {
    mtl_encode_options dflt;
    mtl_result r;
    int na, nb, keep_a, keep_b, n_special, k, total, cap_a = 0, cap_b = 0, more = 0;
    const mtl__titem *items;
    int n_items;
    if (!t || !e) return mtl__err(err, MTL_ERR_ARG, "tokenizer or encoding is NULL");
    if (!opt) { memset(&dflt, 0, sizeof dflt); opt = &dflt; }
    if (opt->max_length < 0 || opt->pad_length < 0 || opt->pad_to_multiple_of < 0) return mtl__err(err, MTL_ERR_ARG, "negative length option");
    e->n = 0;
    e->raw_n = 0;
    e->truncated = 0;
    r = mtl__encode_seq(t, a, alen, opt->max_length, &cap_a, e, err);
    if (r) return r;
    na = e->raw_n;
    if (is_pair) {
        r = mtl__encode_seq(t, b, blen, opt->max_length, &cap_b, e, err);
        if (r) return r;
    }
    nb = e->raw_n - na;
    if (cap_a < 0) { cap_a = -cap_a - 1; more = 1; }
    if (cap_b < 0) { cap_b = -cap_b - 1; more = 1; }
    items = opt->no_special_tokens ? NULL : is_pair ? t->pair : t->single;
    n_items = opt->no_special_tokens ? 0 : is_pair ? t->n_pair : t->n_single;
    n_special = opt->no_special_tokens ? 0 : mtl_tokenizer_num_special(t, is_pair);
    keep_a = na;
    keep_b = nb;
    /* truncation: HF's truncate_encodings, with the budget net of the special tokens */
    if (opt->max_length > 0 && na + nb + n_special > opt->max_length) {
        int budget = opt->max_length > n_special ? opt->max_length - n_special : 0;
        int to_remove = na + nb - budget;
        if (budget == 0) {   /* no room beside the special tokens: HF empties both, whatever the strategy */
            keep_a = keep_b = 0;
        } else if (opt->truncation == MTL_TRUNCATE_LONGEST_FIRST) {
            if (!is_pair) keep_a = budget;
            else {
                /* HF compares the capped lengths: when both reached max_length at different word
                   ends, the side that stopped on more tokens is the longer one; on a tie A is the
                   "short" one and B gets the odd extra token. */
                int n1 = na, n2 = nb, swap = 0;
                if (cap_a > cap_b) { swap = 1; n1 = nb; n2 = na; }
                if (n1 > budget) n2 = n1; else n2 = n1 > budget - n1 ? n1 : budget - n1;
                if (n1 + n2 > budget) { n1 = budget / 2; n2 = n1 + budget % 2; }
                if (swap) { keep_a = n2; keep_b = n1; } else { keep_a = n1; keep_b = n2; }
                if (keep_a > na) keep_a = na;
                if (keep_b > nb) keep_b = nb;
            }
        } else if (opt->truncation == MTL_TRUNCATE_ONLY_FIRST) {
            if (na <= to_remove) return mtl__err(err, MTL_ERR_TOO_LONG, "only_first truncation: the first sequence (%d tokens) is too short to remove %d", na, to_remove);
            keep_a = na - to_remove;
        } else if (opt->truncation == MTL_TRUNCATE_ONLY_SECOND) {
            if (!is_pair) return mtl__err(err, MTL_ERR_ARG, "only_second truncation needs a pair");
            if (nb <= to_remove) return mtl__err(err, MTL_ERR_TOO_LONG, "only_second truncation: the second sequence (%d tokens) is too short to remove %d", nb, to_remove);
            keep_b = nb - to_remove;
        } else {
            return mtl__err(err, MTL_ERR_ARG, "unknown truncation strategy");
        }
    }
    e->truncated = more || keep_a < na || keep_b < nb;
    total = keep_a + keep_b + n_special;
    r = mtl__enc_reserve(e, total, err);
    if (r) return r;
    if (!items) {
        int32_t tb = 1;   /* BPE: B's type id of the pair template (RobertaProcessing: 0), as HF */
        if (t->model != MTL__MODEL_WORDPIECE) for (k = 0; k < t->n_pair; k++) if (t->pair[k].id == -2) tb = t->pair[k].type_id;
        for (k = 0; k < keep_a; k++) mtl__out_raw(e, k, 0, 0);
        for (k = 0; k < keep_b; k++) mtl__out_raw(e, na + k, tb, 1);
    } else {
        for (k = 0; k < n_items; k++) {
            const mtl__titem *it = &items[k];
            if (it->id >= 0) mtl__out(e, it->id, it->type_id, 1, -1, -1, 0, 0);
            else {
                int seq = it->id == -1 ? 0 : 1, m, cnt = seq ? keep_b : keep_a;
                for (m = 0; m < cnt; m++) mtl__out_raw(e, (seq ? na : 0) + m, it->type_id, seq);
            }
        }
    }
    /* padding */
    if (opt->padding == MTL_PAD_MAX_LENGTH) {
        int len = opt->pad_length ? opt->pad_length : opt->max_length;
        if (len > 0) return mtl_encoding_pad(t, e, len, err);
    }
    if (opt->pad_to_multiple_of > 0 && opt->padding != MTL_PAD_NONE) return mtl_encoding_pad(t, e, e->n, err);
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF mtl_result mtl_encoding_pad(const mtl_tokenizer *t, mtl_encoding *e, int length, mtl_error *err) {
    mtl_result r;
    if (!t || !e || length < 0) return mtl__err(err, MTL_ERR_ARG, "bad arguments to mtl_encoding_pad");
    if (length <= e->n) return MTL_OK;
    r = mtl__enc_reserve(e, length, err);
    if (r) return r;
    while (e->n < length) {
        mtl__out(e, t->pad_id, 0, 1, -1, -1, 0, 0);
        e->attention_mask[e->n - 1] = 0;
    }
    return MTL_OK;
}

MTLDEF mtl_result mtl_encode(const mtl_tokenizer *t, const char *text, size_t len, const mtl_encode_options *opt,
                             mtl_encoding *out, mtl_error *err) {
    return mtl__encode(t, text, len, NULL, 0, 0, opt, out, err);
}
MTLDEF mtl_result mtl_encode_pair(const mtl_tokenizer *t, const char *a, size_t alen, const char *b, size_t blen,
                                  const mtl_encode_options *opt, mtl_encoding *out, mtl_error *err) {
    return mtl__encode(t, a, alen, b, blen, 1, opt, out, err);
}
static int mtl__round_up(int n, int m) { return m > 0 && n % m ? n + (m - n % m) : n; }
MTLDEF mtl_result mtl_encode_batch(const mtl_tokenizer *t, int n, const char *const *texts, const size_t *lens,
                                   const char *const *texts_b, const size_t *lens_b,
                                   const mtl_encode_options *opt, mtl_encoding *outs, mtl_error *err) {
    int i, longest = 0;
    mtl_result r;
    if (!t || n < 0 || (n && (!texts || !outs))) return mtl__err(err, MTL_ERR_ARG, "bad arguments to mtl_encode_batch");
    for (i = 0; i < n; i++) {
        size_t la = lens ? lens[i] : (texts[i] ? strlen(texts[i]) : 0);
        if (texts_b) {
            size_t lb = lens_b ? lens_b[i] : (texts_b[i] ? strlen(texts_b[i]) : 0);
            r = mtl__encode(t, texts[i], la, texts_b[i], lb, 1, opt, &outs[i], err);
        } else {
            r = mtl__encode(t, texts[i], la, NULL, 0, 0, opt, &outs[i], err);
        }
        if (r) return r;
        if (outs[i].n > longest) longest = outs[i].n;
    }
    if (opt && opt->padding == MTL_PAD_LONGEST) {
        longest = mtl__round_up(longest, opt->pad_to_multiple_of);
        for (i = 0; i < n; i++) {
            r = mtl_encoding_pad(t, &outs[i], longest, err);
            if (r) return r;
        }
    }
    mtl__ok(err);
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* Decoding: HF's WordPiece decoder + transformers' clean_up_tokenization.                         */
/* ---------------------------------------------------------------------------------------------- */
static int mtl__is_added_id(const mtl_tokenizer *t, int32_t id) {
    int k;
    for (k = 0; k < t->n_added; k++) if (t->added[k].id == id) return 1;
    return id == t->cls_id || id == t->sep_id || id == t->pad_id || id == t->unk_id || id == t->mask_id;
}
/* The bytes of HF's ByteLevel decoder, one at a time: each token's chars mapped back to bytes (a token
   with a char outside the map, such as an added token, gives its own UTF-8 bytes). */
typedef struct mtl__bl_iter {
    const mtl_tokenizer *t;
    const int32_t *ids;
    int n, i, keep, raw;
    const unsigned char *s;
    size_t len, p;
} mtl__bl_iter;
static int mtl__bl_next(mtl__bl_iter *it) {
    for (;;) {
        if (it->s && it->p < it->len) {
            uint32_t c;
            if (it->raw) return it->s[it->p++];
            c = mtl__utf8_next(it->s, it->len, &it->p);
            return mtl__bl_byte(c);
        }
        if (it->i >= it->n) return -1;
        {
            size_t len, x = 0;
            const char *s = mtl_tokenizer_id_to_token(it->t, it->ids[it->i], &len);
            int keep = s && (it->keep || !mtl__is_added_id(it->t, it->ids[it->i]));
            it->i++;
            if (!keep) continue;
            it->s = (const unsigned char *)s; it->len = len; it->p = 0; it->raw = 0;
            while (x < len) if (mtl__bl_byte(mtl__utf8_next(it->s, len, &x)) < 0) { it->raw = 1; break; }
        }
    }
}
/* ByteLevel decode + Rust's String::from_utf8_lossy (one U+FFFD per maximal invalid subpart). */
static mtl_result mtl__bpe_decode(const mtl_tokenizer *t, const int32_t *ids, int n, int keep, char *out, size_t cap,
                                  size_t *out_len, mtl_error *err) {
    mtl__bl_iter it;
    int w[4], nw = 0, k;
    size_t o = 0;
    memset(&it, 0, sizeof it);
    it.t = t; it.ids = ids; it.n = n; it.keep = keep;
    for (;;) {
        int c, need, m, ok;
        while (nw < 4 && (c = mtl__bl_next(&it)) >= 0) w[nw++] = c;
        if (nw == 0) break;
        c = w[0];
        need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
        m = 1;
        ok = need >= 0;
        for (k = 1; ok && k <= need; k++) {
            int lo = 0x80, hi = 0xBF;
            if (k == 1) {
                if (c == 0xE0) lo = 0xA0; else if (c == 0xED) hi = 0x9F; else if (c == 0xF0) lo = 0x90; else if (c == 0xF4) hi = 0x8F;
            }
            if (k >= nw || w[k] < lo || w[k] > hi) { ok = 0; break; }
            m++;
        }
        if (ok) for (k = 0; k < m; k++, o++) { if (o < cap) out[o] = (char)w[k]; }
        else {
            static const unsigned char rep[3] = {0xEF, 0xBF, 0xBD};
            for (k = 0; k < 3; k++, o++) if (o < cap) out[o] = (char)rep[k];
        }
        for (k = m; k < nw; k++) w[k - m] = w[k];
        nw -= m;
    }
    if (out_len) *out_len = o;
    if (o >= cap) {
        if (cap) out[cap - 1] = 0;
        return mtl__err(err, MTL_ERR_NOMEM, "decode needs %zu bytes", o + 1);
    }
    out[o] = 0;
    mtl__ok(err);
    return MTL_OK;
}

/* The byte of a "<0xXX>" piece (HF's ByteFallback decoder), or -1. */
static int mtl__piece_byte(const char *s, size_t len) {
    if (len != 6 || memcmp(s, "<0x", 3) != 0 || s[5] != '>') return -1;
    if (!((s[3] >= '0' && s[3] <= '9') || ((s[3] | 32) >= 'a' && (s[3] | 32) <= 'f'))) return -1;
    if (!((s[4] >= '0' && s[4] <= '9') || ((s[4] | 32) >= 'a' && (s[4] | 32) <= 'f'))) return -1;
    return (int)(mtl__hexval(s[3]) << 4 | mtl__hexval(s[4]));
}
/* One byte into a UTF-8 validator (need: continuation bytes still expected, lo/hi: the next one's
   range); 0 when the bytes so far cannot be UTF-8. */
static int mtl__utf8_step(int *need, int *lo, int *hi, int c) {
    if (*need) {
        if (c < *lo || c > *hi) return 0;
        (*need)--; *lo = 0x80; *hi = 0xBF;
        return 1;
    }
    if (c < 0x80) return 1;
    *lo = 0x80; *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) *need = 1;
    else if (c >= 0xE0 && c <= 0xEF) { *need = 2; if (c == 0xE0) *lo = 0xA0; if (c == 0xED) *hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { *need = 3; if (c == 0xF0) *lo = 0x90; if (c == 0xF4) *hi = 0x8F; }
    else return 0;
    return 1;
}
/* Unigram decoders. Metaspace: each replacement char a space, none in the first token (unless its
   prepend_scheme is "never"), tokens joined with nothing. Llama's Sequence: the replacement -> " ", a
   run of "<0xXX>" pieces -> its bytes if they are UTF-8, else one U+FFFD per piece, all joined, one
   leading space stripped. No decoder: tokens joined by spaces (HF). */
static mtl_result mtl__uni_decode(const mtl_tokenizer *t, const int32_t *ids, int n, int keep, char *out, size_t cap,
                                  size_t *out_len, mtl_error *err) {
    size_t o = 0;
    int i, first = 1, fresh = t->uni_dec == MTL__UD_BYTES;
#define MTL__PUT(ch) do { char ch_ = (char)(ch); if (fresh) { fresh = 0; if (ch_ == ' ') break; } if (o < cap) out[o] = ch_; o++; } while (0)
    for (i = 0; i < n; i++) {
        size_t len, x = 0;
        const char *s = mtl_tokenizer_id_to_token(t, ids[i], &len);
        if (!s || (!keep && mtl__is_added_id(t, ids[i]))) continue;
        if (t->uni_dec == MTL__UD_NONE) {
            if (!first) MTL__PUT(' ');
            for (x = 0; x < len; x++) MTL__PUT(s[x]);
        } else if (t->uni_dec == MTL__UD_BYTES && mtl__piece_byte(s, len) >= 0) {
            /* the run of byte pieces from i (special tokens skipped are not in it, as HF removes them first) */
            int k, end = i, need = 0, lo = 0x80, hi = 0xBF, ok = 1;
            for (k = i; k < n; k++) {
                size_t l2;
                const char *s2 = mtl_tokenizer_id_to_token(t, ids[k], &l2);
                int by;
                if (!s2 || (!keep && mtl__is_added_id(t, ids[k]))) continue;
                if ((by = mtl__piece_byte(s2, l2)) < 0) break;
                if (ok) ok = mtl__utf8_step(&need, &lo, &hi, by);
                end = k;
            }
            ok = ok && need == 0;
            for (k = i; k <= end; k++) {
                size_t l2;
                const char *s2 = mtl_tokenizer_id_to_token(t, ids[k], &l2);
                if (!s2 || (!keep && mtl__is_added_id(t, ids[k]))) continue;
                if (ok) MTL__PUT(mtl__piece_byte(s2, l2));
                else { MTL__PUT(0xEF); MTL__PUT(0xBF); MTL__PUT(0xBD); }
            }
            i = end;
        } else {
            while (x < len) {
                size_t p = x;
                uint32_t c = mtl__utf8_next((const unsigned char *)s, len, &x);
                if (c == t->uni_repl) {
                    if (!(first && t->uni_dec == MTL__UD_METASPACE)) MTL__PUT(' ');
                    continue;
                }
                for (; p < x; p++) MTL__PUT(s[p]);
            }
        }
        first = 0;
    }
#undef MTL__PUT
    if (out_len) *out_len = o;
    if (o >= cap) {
        if (cap) out[cap - 1] = 0;
        return mtl__err(err, MTL_ERR_NOMEM, "decode needs %zu bytes", o + 1);
    }
    out[o] = 0;
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF mtl_result mtl_decode(const mtl_tokenizer *t, const int32_t *ids, int n, const mtl_decode_options *opt,
                             char *out, size_t cap, size_t *out_len, mtl_error *err) {
    static const char *const from[10] = {" .", " ?", " !", " ,", " ' ", " n't", " 'm", " 's", " 've", " 're"};
    static const char *const to[10] = {".", "?", "!", ",", "'", "n't", "'m", "'s", "'ve", "'re"};
    size_t o = 0, plen;
    int i, first = 1, keep = opt && opt->keep_special_tokens, clean = !(opt && opt->no_cleanup), k;
    if (!t || (n && !ids) || (cap && !out)) return mtl__err(err, MTL_ERR_ARG, "bad arguments to mtl_decode");
    if (t->model == MTL__MODEL_BPE) return mtl__bpe_decode(t, ids, n, keep, out, cap, out_len, err);
    if (t->model == MTL__MODEL_UNIGRAM) return mtl__uni_decode(t, ids, n, keep, out, cap, out_len, err);
    plen = strlen(t->prefix);
    /* pass 1: join; written into out as far as it fits, the full length counted */
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = mtl_tokenizer_id_to_token(t, ids[i], &len);
        if (!s) continue;
        if (!keep && mtl__is_added_id(t, ids[i])) continue;
        /* special tokens that are kept are never ## pieces: HF applies the rule to every token */
        if (!first) {
            if (plen && len >= plen && memcmp(s, t->prefix, plen) == 0) { s += plen; len -= plen; }
            else { if (o < cap) out[o] = ' '; o++; }
        }
        first = 0;
        {
            size_t m;
            for (m = 0; m < len; m++, o++) if (o < cap) out[o] = s[m];
        }
    }
    if (o >= cap) {
        if (out_len) *out_len = o;
        if (cap) out[cap - 1] = 0;
        return mtl__err(err, MTL_ERR_NOMEM, "decode needs %zu bytes", o + 1);
    }
    out[o] = 0;
    /* pass 2: clean-up, in place (it only shortens) */
    if (clean) {
        for (k = 0; k < 10; k++) {
            size_t fl = strlen(from[k]), tl = strlen(to[k]), r = 0, w = 0;
            while (r < o) {
                if (r + fl <= o && memcmp(out + r, from[k], fl) == 0) { memcpy(out + w, to[k], tl); w += tl; r += fl; }
                else out[w++] = out[r++];
            }
            o = w;
            out[o] = 0;
        }
    }
    if (out_len) *out_len = o;
    mtl__ok(err);
    return MTL_OK;
}

#endif /* MTL_TOKENIZER_IMPLEMENTATION_DONE */
#endif /* MTL_TOKENIZER_IMPLEMENTATION */

/*
------------------------------------------------------------------------------
MIT License

Copyright (c) 2026 the mtl authors

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
------------------------------------------------------------------------------
*/
