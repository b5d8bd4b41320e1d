/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "al-boxes.h"
#include "al-coco-eval.h"
#include "al-task.h"
#include "al-quality-error.h"

/* This follows pycocotools' cocoeval.py step by step (evaluate,
 * evaluateImg, accumulate, summarize) for iouType "bbox" with the default
 * parameters, including its quirks: ids of 0 count as "no match", stable
 * sorts by score, and the order of the loops. */

enum { T = 10, R = 101, A = 4, M = 3, MAX_DET = 100 };

static const int max_dets[M] = { 1, 10, 100 };
static const double area_rng[A][2] = {
  { 0, 1e10 }, { 0, 32 * 32 }, { 32 * 32, 96 * 96 }, { 96 * 96, 1e10 },
};
static const char *const area_lbl[A] = { "all", "small", "medium", "large" };

typedef struct
{
  gint64 id;
  gint64 image_id;
  gint64 category_id;
  AlBox box;
  double area;
  double score;
  gboolean crowd;
} Ann;

typedef struct
{
  gboolean present;
  guint nd;
  guint ng;
  double *scores;
  gint64 *dtm;     /* T x nd: matched gt id or 0 */
  gboolean *dtig;  /* T x nd */
  gboolean *gtig;  /* ng */
} EvalImg;

typedef struct
{
  GArray *gt;        /* Ann */
  GArray *dt;        /* Ann */
  gint64 *img_ids;
  guint n_img;
  gint64 *cat_ids;
  guint n_cat;
  GHashTable *img_index;
  GHashTable *cat_index;
  GPtrArray **gts;   /* n_img * n_cat lists of Ann* in file order */
  GPtrArray **dts;
  double **ious;     /* per (img, cat): nd x ng, dt sorted by score */
  EvalImg *eval;     /* n_cat * A * n_img */
} Coco;

const char *
al_coco_stat_name (AlCocoStat stat)
{
  static const char *const names[] = {
    "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl",
  };
  g_return_val_if_fail (stat < AL_COCO_N_STATS, NULL);
  return names[stat];
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE, format, args);
  va_end (args);
  return FALSE;
}

static gint
cmp_int64 (gconstpointer a,
           gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static gboolean
read_bbox (json_t *obj,
           AlBox  *box)
{
  double v[4];

  if (!al_json_get_numbers (json_object_get (obj, "bbox"), v, 4))
    return FALSE;
  box->x = v[0];
  box->y = v[1];
  box->w = v[2];
  box->h = v[3];
  return TRUE;
}

/* Sorted unique ids, as np.unique(sorted(...)). */
static gboolean
unique_ids (json_t     *list,
            const char *what,
            gint64    **ids_out,
            guint      *n_out,
            GHashTable **index_out,
            GError    **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *index;
  size_t i;
  json_t *item;
  guint n = 0;

  json_array_foreach (list, i, item)
    {
      gint64 id;
      if (!al_json_get_int64 (item, "id", &id))
        return fail (error, "%s %zu has no integer \"id\"", what, i + 1);
      g_array_append_val (ids, id);
    }
  g_array_sort (ids, cmp_int64);
  index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      if (i > 0 && id == g_array_index (ids, gint64, n - 1))
        continue;
      g_array_index (ids, gint64, n) = id;
      g_hash_table_insert (index, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (n + 1));
      n++;
    }
  g_array_set_size (ids, n);
  *n_out = n;
  *index_out = index;
  *ids_out = (gint64 *) (void *) g_array_free (g_steal_pointer (&ids), FALSE);
  return TRUE;
}

static int
lookup (GHashTable *index,
        gint64      id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (index, &id)) - 1;
}

static void
coco_clear (Coco *c)
{
  guint n = c->n_img * c->n_cat, i;
  if (c->gts)
    for (i = 0; i < n; i++)
      {
        g_clear_pointer (&c->gts[i], g_ptr_array_unref);
        g_clear_pointer (&c->dts[i], g_ptr_array_unref);
        g_free (c->ious[i]);
      }
  if (c->eval)
    for (i = 0; i < n * A; i++)
      {
        g_free (c->eval[i].scores);
        g_free (c->eval[i].dtm);
        g_free (c->eval[i].dtig);
        g_free (c->eval[i].gtig);
      }
  g_free (c->gts);
  g_free (c->dts);
  g_free (c->ious);
  g_free (c->eval);
  g_free (c->img_ids);
  g_free (c->cat_ids);
  g_clear_pointer (&c->img_index, g_hash_table_unref);
  g_clear_pointer (&c->cat_index, g_hash_table_unref);
  g_clear_pointer (&c->gt, g_array_unref);
  g_clear_pointer (&c->dt, g_array_unref);
}

static gboolean
load (Coco    *c,
      json_t  *gt,
      json_t  *dt,
      GError **error)
{
  json_t *images = json_object_get (gt, "images");
  json_t *cats = json_object_get (gt, "categories");
  json_t *anns = json_object_get (gt, "annotations");
  json_t *item;
  size_t i;
  guint n;

  if (!json_is_object (gt) || !json_is_array (images) || !json_is_array (cats) ||
      !json_is_array (anns))
    return fail (error, "the ground truth needs \"images\", \"annotations\" and \"categories\" lists");
  if (json_is_object (dt))
    dt = json_object_get (dt, "annotations");
  if (!json_is_array (dt))
    return fail (error, "the detections must be a COCO results list");

  if (!unique_ids (images, "image", &c->img_ids, &c->n_img, &c->img_index, error) ||
      !unique_ids (cats, "category", &c->cat_ids, &c->n_cat, &c->cat_index, error))
    return FALSE;

  c->gt = g_array_new (FALSE, FALSE, sizeof (Ann));
  json_array_foreach (anns, i, item)
    {
      Ann a = { 0 };
      json_t *area = json_object_get (item, "area");
      if (!al_json_get_int64 (item, "id", &a.id) || !al_json_get_int64 (item, "image_id", &a.image_id) ||
          !al_json_get_int64 (item, "category_id", &a.category_id))
        return fail (error, "ground-truth annotation %zu needs integer id, image_id and category_id",
                     i + 1);
      if (!read_bbox (item, &a.box))
        return fail (error, "ground-truth annotation %zu needs \"bbox\": [x, y, w, h]", i + 1);
      a.area = json_is_number (area) ? json_number_value (area) : a.box.w * a.box.h;
      a.crowd = json_is_true (json_object_get (item, "iscrowd")) ||
                json_integer_value (json_object_get (item, "iscrowd")) != 0;
      g_array_append_val (c->gt, a);
    }

  c->dt = g_array_new (FALSE, FALSE, sizeof (Ann));
  json_array_foreach (dt, i, item)
    {
      Ann a = { 0 };
      json_t *score = json_object_get (item, "score");
      if (!al_json_get_int64 (item, "image_id", &a.image_id) || !al_json_get_int64 (item, "category_id", &a.category_id))
        return fail (error, "detection %zu needs integer image_id and category_id", i + 1);
      if (!read_bbox (item, &a.box))
        return fail (error, "detection %zu needs \"bbox\": [x, y, w, h]", i + 1);
      if (!json_is_number (score))
        return fail (error, "detection %zu needs a numeric \"score\"", i + 1);
      if (lookup (c->img_index, a.image_id) < 0)
        return fail (error, "detection %zu is on image %" G_GINT64_FORMAT
                     ", which the ground truth does not have", i + 1, a.image_id);
      /* As COCO.loadRes(): ids 1..n, area from the box, never a crowd. */
      a.id = (gint64) i + 1;
      a.score = json_number_value (score);
      a.area = a.box.w * a.box.h;
      g_array_append_val (c->dt, a);
    }

  n = c->n_img * c->n_cat;
  c->gts = g_new0 (GPtrArray *, MAX (n, 1));
  c->dts = g_new0 (GPtrArray *, MAX (n, 1));
  c->ious = g_new0 (double *, MAX (n, 1));
  for (i = 0; i < c->gt->len; i++)
    {
      Ann *a = &g_array_index (c->gt, Ann, i);
      int im = lookup (c->img_index, a->image_id), ca = lookup (c->cat_index, a->category_id);
      guint k;
      if (im < 0 || ca < 0)
        continue;
      k = (guint) im * c->n_cat + ca;
      if (!c->gts[k])
        c->gts[k] = g_ptr_array_new ();
      g_ptr_array_add (c->gts[k], a);
    }
  for (i = 0; i < c->dt->len; i++)
    {
      Ann *a = &g_array_index (c->dt, Ann, i);
      int im = lookup (c->img_index, a->image_id), ca = lookup (c->cat_index, a->category_id);
      guint k;
      if (ca < 0)
        continue;
      k = (guint) im * c->n_cat + ca;
      if (!c->dts[k])
        c->dts[k] = g_ptr_array_new ();
      g_ptr_array_add (c->dts[k], a);
    }
  return TRUE;
}

/* np.argsort(-score, kind='mergesort'): stable, highest first. */
static gint
cmp_score_desc (gconstpointer a,
                gconstpointer b)
{
  const Ann *x = *(Ann *const *) a, *y = *(Ann *const *) b;
  return x->score > y->score ? -1 : x->score < y->score;
}

static void
sort_dts (Coco *c)
{
  guint k;
  for (k = 0; k < c->n_img * c->n_cat; k++)
    if (c->dts[k])
      {
        /* g_ptr_array_sort is a stable merge sort. */
        g_ptr_array_sort (c->dts[k], cmp_score_desc);
        if (c->dts[k]->len > MAX_DET)
          g_ptr_array_set_size (c->dts[k], MAX_DET);
      }
}

static void
compute_ious (Coco *c)
{
  guint k;
  for (k = 0; k < c->n_img * c->n_cat; k++)
    {
      GPtrArray *g = c->gts[k], *d = c->dts[k];
      guint ng = g ? g->len : 0, nd = d ? d->len : 0, i, j;
      if (ng == 0 || nd == 0)
        continue;
      c->ious[k] = g_new (double, (gsize) nd * ng);
      for (i = 0; i < nd; i++)
        for (j = 0; j < ng; j++)
          {
            const Ann *dd = d->pdata[i], *gg = g->pdata[j];
            double v = al_box_iou (&dd->box, &gg->box);
            /* A crowd region is divided by the detection's area only. */
            if (gg->crowd && v > 0)
              {
                double w = fmin (dd->box.w + dd->box.x, gg->box.w + gg->box.x) -
                           fmax (dd->box.x, gg->box.x);
                double h = fmin (dd->box.h + dd->box.y, gg->box.h + gg->box.y) -
                           fmax (dd->box.y, gg->box.y);
                v = (w * h) / (dd->box.w * dd->box.h);
              }
            c->ious[k][(gsize) i * ng + j] = v;
          }
    }
}

static void
evaluate_img (Coco    *c,
              guint    img,
              guint    cat,
              guint    a,
              const double *iou_thrs,
              EvalImg *e)
{
  guint k = img * c->n_cat + cat;
  GPtrArray *gl = c->gts[k], *dl = c->dts[k];
  guint ng = gl ? gl->len : 0, nd = dl ? dl->len : 0;
  g_autofree guint *gtind = NULL;
  g_autofree gint64 *gtm = NULL;
  guint i, j, t, pos;
  double lo = area_rng[a][0], hi = area_rng[a][1];

  if (ng == 0 && nd == 0)
    return;
  e->present = TRUE;
  e->ng = ng;
  e->nd = nd;
  e->gtig = g_new0 (gboolean, MAX (ng, 1));
  e->scores = g_new (double, MAX (nd, 1));
  e->dtm = g_new0 (gint64, (gsize) T * MAX (nd, 1));
  e->dtig = g_new0 (gboolean, (gsize) T * MAX (nd, 1));
  gtm = g_new0 (gint64, (gsize) T * MAX (ng, 1));

  /* Ground truth that is ignored goes last, otherwise in file order. */
  gtind = g_new (guint, MAX (ng, 1));
  pos = 0;
  for (int pass = 0; pass < 2; pass++)
    for (j = 0; j < ng; j++)
      {
        const Ann *g = gl->pdata[j];
        gboolean ig = g->crowd || g->area < lo || g->area > hi;
        if (ig == pass)
          gtind[pos++] = j;
      }
  for (j = 0; j < ng; j++)
    {
      const Ann *g = gl->pdata[gtind[j]];
      e->gtig[j] = g->crowd || g->area < lo || g->area > hi;
    }
  for (i = 0; i < nd; i++)
    e->scores[i] = ((Ann *) dl->pdata[i])->score;

  if (c->ious[k])
    for (t = 0; t < T; t++)
      for (i = 0; i < nd; i++)
        {
          double iou = fmin (iou_thrs[t], 1 - 1e-10);
          int m = -1;
          for (j = 0; j < ng; j++)
            {
              const Ann *g = gl->pdata[gtind[j]];
              double v = c->ious[k][(gsize) i * ng + gtind[j]];
              if (gtm[t * ng + j] > 0 && !g->crowd)
                continue;
              if (m > -1 && !e->gtig[m] && e->gtig[j])
                break;
              if (v < iou)
                continue;
              iou = v;
              m = j;
            }
          if (m == -1)
            continue;
          e->dtig[t * nd + i] = e->gtig[m];
          e->dtm[t * nd + i] = ((Ann *) gl->pdata[gtind[m]])->id;
          gtm[t * ng + m] = ((Ann *) dl->pdata[i])->id;
        }

  for (i = 0; i < nd; i++)
    {
      const Ann *d = dl->pdata[i];
      gboolean out = d->area < lo || d->area > hi;
      for (t = 0; t < T; t++)
        if (e->dtm[t * nd + i] == 0 && out)
          e->dtig[t * nd + i] = TRUE;
    }
}

typedef struct
{
  double score;
  guint index;
} Ranked;

static gint
cmp_ranked (gconstpointer a,
            gconstpointer b)
{
  const Ranked *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static void
accumulate (Coco         *c,
            const double *rec_thrs,
            double       *precision,  /* T x R x K x A x M */
            double       *recall)     /* T x K x A x M */
{
  guint K = c->n_cat, k, a, m, t, i;
  gsize np = (gsize) T * R * K * A * M, nr = (gsize) T * K * A * M;

#define PREC(t, r, k, a, m) precision[((((gsize) (t) * R + (r)) * K + (k)) * A + (a)) * M + (m)]
#define REC(t, k, a, m) recall[(((gsize) (t) * K + (k)) * A + (a)) * M + (m)]

  for (i = 0; i < np; i++)
    precision[i] = -1;
  for (i = 0; i < nr; i++)
    recall[i] = -1;

  for (k = 0; k < K; k++)
    for (a = 0; a < A; a++)
      for (m = 0; m < M; m++)
        {
          guint max_det = max_dets[m], n_e = 0, total = 0, npig = 0;
          g_autoptr (GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
          g_autofree const EvalImg **owner = NULL;
          g_autofree guint *col = NULL;

          for (i = 0; i < c->n_img; i++)
            {
              const EvalImg *e = &c->eval[((gsize) k * A + a) * c->n_img + i];
              guint j;
              if (!e->present)
                continue;
              n_e++;
              for (j = 0; j < e->ng; j++)
                npig += !e->gtig[j];
              total += MIN (e->nd, max_det);
            }
          if (n_e == 0 || npig == 0)
            continue;

          owner = g_new (const EvalImg *, MAX (total, 1));
          col = g_new (guint, MAX (total, 1));
          for (i = 0; i < c->n_img; i++)
            {
              const EvalImg *e = &c->eval[((gsize) k * A + a) * c->n_img + i];
              guint j;
              if (!e->present)
                continue;
              for (j = 0; j < MIN (e->nd, max_det); j++)
                {
                  Ranked r = { e->scores[j], ranked->len };
                  owner[ranked->len] = e;
                  col[ranked->len] = j;
                  g_array_append_val (ranked, r);
                }
            }
          g_array_sort (ranked, cmp_ranked);

          for (t = 0; t < T; t++)
            {
              guint nd = ranked->len, ri;
              double tp = 0, fp = 0;
              g_autofree double *rc = g_new (double, MAX (nd, 1));
              g_autofree double *pr = g_new (double, MAX (nd, 1));

              for (i = 0; i < nd; i++)
                {
                  const Ranked *r = &g_array_index (ranked, Ranked, i);
                  const EvalImg *e = owner[r->index];
                  guint j = col[r->index];
                  gint64 match = e->dtm[t * e->nd + j];
                  gboolean ig = e->dtig[t * e->nd + j];
                  if (match != 0 && !ig)
                    tp += 1;
                  else if (match == 0 && !ig)
                    fp += 1;
                  rc[i] = tp / npig;
                  pr[i] = tp / (fp + tp + 2.220446049250313e-16);
                }
              REC (t, k, a, m) = nd ? rc[nd - 1] : 0;
              for (i = nd - 1; nd > 0 && i > 0; i--)
                if (pr[i] > pr[i - 1])
                  pr[i - 1] = pr[i];
              /* searchsorted(rc, recThrs, side='left'); recall levels past
               * the last detection keep precision 0. */
              i = 0;
              for (ri = 0; ri < R; ri++)
                {
                  while (i < nd && rc[i] < rec_thrs[ri])
                    i++;
                  if (i >= nd)
                    {
                      for (; ri < R; ri++)
                        PREC (t, ri, k, a, m) = 0;
                      break;
                    }
                  PREC (t, ri, k, a, m) = pr[i];
                }
            }
        }
#undef PREC
#undef REC
}

static double
summarize (const double *precision,
           const double *recall,
           guint         K,
           gboolean      ap,
           int           t_only,
           guint         a,
           guint         m)
{
  double sum = 0;
  gsize n = 0;
  guint t, r, k;

  for (t = 0; t < T; t++)
    {
      if (t_only >= 0 && (int) t != t_only)
        continue;
      for (k = 0; k < K; k++)
        {
          if (ap)
            for (r = 0; r < R; r++)
              {
                double v = precision[((((gsize) t * R + r) * K + k) * A + a) * M + m];
                if (v > -1)
                  {
                    sum += v;
                    n++;
                  }
              }
          else
            {
              double v = recall[(((gsize) t * K + k) * A + a) * M + m];
              if (v > -1)
                {
                  sum += v;
                  n++;
                }
            }
        }
    }
  return n ? sum / n : -1;
}

gboolean
al_coco_eval (json_t  *gt,
              json_t  *dt,
              double   stats[AL_COCO_N_STATS],
              GError **error)
{
  Coco c = { 0 };
  double iou_thrs[T], rec_thrs[R];
  g_autofree double *precision = NULL;
  g_autofree double *recall = NULL;
  guint k, a, i;

  g_return_val_if_fail (stats != NULL, FALSE);

  /* np.linspace: start + i * step, with the end point set exactly. */
  for (i = 0; i < T; i++)
    iou_thrs[i] = i * ((0.95 - 0.5) / (T - 1)) + 0.5;
  iou_thrs[T - 1] = 0.95;
  for (i = 0; i < R; i++)
    rec_thrs[i] = i * (1.0 / (R - 1));
  rec_thrs[R - 1] = 1.0;

  if (!load (&c, gt, dt, error))
    {
      coco_clear (&c);
      return FALSE;
    }
  sort_dts (&c);
  compute_ious (&c);

  c.eval = g_new0 (EvalImg, (gsize) MAX (c.n_cat, 1) * A * MAX (c.n_img, 1));
  for (k = 0; k < c.n_cat; k++)
    for (a = 0; a < A; a++)
      for (i = 0; i < c.n_img; i++)
        evaluate_img (&c, i, k, a, iou_thrs, &c.eval[((gsize) k * A + a) * c.n_img + i]);

  precision = g_new (double, (gsize) T * R * MAX (c.n_cat, 1) * A * M);
  recall = g_new (double, (gsize) T * MAX (c.n_cat, 1) * A * M);
  accumulate (&c, rec_thrs, precision, recall);

  stats[AL_COCO_AP] = summarize (precision, recall, c.n_cat, TRUE, -1, 0, 2);
  stats[AL_COCO_AP50] = summarize (precision, recall, c.n_cat, TRUE, 0, 0, 2);
  stats[AL_COCO_AP75] = summarize (precision, recall, c.n_cat, TRUE, 5, 0, 2);
  stats[AL_COCO_AP_SMALL] = summarize (precision, recall, c.n_cat, TRUE, -1, 1, 2);
  stats[AL_COCO_AP_MEDIUM] = summarize (precision, recall, c.n_cat, TRUE, -1, 2, 2);
  stats[AL_COCO_AP_LARGE] = summarize (precision, recall, c.n_cat, TRUE, -1, 3, 2);
  stats[AL_COCO_AR1] = summarize (precision, recall, c.n_cat, FALSE, -1, 0, 0);
  stats[AL_COCO_AR10] = summarize (precision, recall, c.n_cat, FALSE, -1, 0, 1);
  stats[AL_COCO_AR100] = summarize (precision, recall, c.n_cat, FALSE, -1, 0, 2);
  stats[AL_COCO_AR_SMALL] = summarize (precision, recall, c.n_cat, FALSE, -1, 1, 2);
  stats[AL_COCO_AR_MEDIUM] = summarize (precision, recall, c.n_cat, FALSE, -1, 2, 2);
  stats[AL_COCO_AR_LARGE] = summarize (precision, recall, c.n_cat, FALSE, -1, 3, 2);

  coco_clear (&c);
  return TRUE;
}

json_t *
al_coco_load_json (const char *path,
                   GError    **error)
{
  struct stat st;
  json_error_t jerr;
  json_t *root;

  if (stat (path, &st) != 0)
    {
      g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_IO, "%s: %s", path,
                   g_strerror (errno));
      return NULL;
    }
  if (st.st_size > AL_COCO_MAX_FILE)
    {
      g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_TOO_LARGE,
                   "%s: the file is larger than %d MiB", path, AL_COCO_MAX_FILE >> 20);
      return NULL;
    }
  root = json_load_file (path, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL)
    g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE, "%s:%d:%d: %s", path,
                 jerr.line, jerr.column, jerr.text);
  return root;
}

gboolean
al_coco_eval_files (const char *gt_path,
                    const char *dt_path,
                    double      stats[AL_COCO_N_STATS],
                    GError    **error)
{
  g_autoptr (json_t) gt = al_coco_load_json (gt_path, error);
  g_autoptr (json_t) dt = NULL;
  GError *local = NULL;

  if (!gt)
    return FALSE;
  dt = al_coco_load_json (dt_path, error);
  if (!dt)
    return FALSE;
  if (!al_coco_eval (gt, dt, stats, &local))
    {
      g_propagate_prefixed_error (error, local, "%s / %s: ", gt_path, dt_path);
      return FALSE;
    }
  return TRUE;
}

char *
al_coco_format (const double stats[AL_COCO_N_STATS])
{
  static const struct { gboolean ap; const char *iou; guint area; int dets; } rows[] = {
    { TRUE, "0.50:0.95", 0, 100 }, { TRUE, "0.50", 0, 100 }, { TRUE, "0.75", 0, 100 },
    { TRUE, "0.50:0.95", 1, 100 }, { TRUE, "0.50:0.95", 2, 100 }, { TRUE, "0.50:0.95", 3, 100 },
    { FALSE, "0.50:0.95", 0, 1 }, { FALSE, "0.50:0.95", 0, 10 }, { FALSE, "0.50:0.95", 0, 100 },
    { FALSE, "0.50:0.95", 1, 100 }, { FALSE, "0.50:0.95", 2, 100 }, { FALSE, "0.50:0.95", 3, 100 },
  };
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < AL_COCO_N_STATS; i++)
    g_string_append_printf (s, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %0.3f\n",
                            rows[i].ap ? "Average Precision" : "Average Recall",
                            rows[i].ap ? "(AP)" : "(AR)", rows[i].iou,
                            area_lbl[rows[i].area], rows[i].dets, stats[i]);
  return g_string_free (s, FALSE);
}
