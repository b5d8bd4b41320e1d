/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <math.h>

#include "al-hungarian.h"

/* Shortest augmenting paths with potentials, for n <= m. a(i, j) reads the
 * cost of row i, column j (both 1-based). */
static void
solve (const double *cost,
       guint         n,
       guint         m,
       gboolean      transposed,
       guint         stride,
       int          *p_out)
{
  g_autofree double *u = g_new0 (double, n + 1);
  g_autofree double *v = g_new0 (double, m + 1);
  g_autofree int *p = g_new0 (int, m + 1);
  g_autofree int *way = g_new0 (int, m + 1);
  g_autofree double *minv = g_new (double, m + 1);
  g_autofree gboolean *used = g_new (gboolean, m + 1);
  guint i, j;

#define A(i, j) (transposed ? cost[(gsize) ((j) - 1) * stride + ((i) - 1)] \
                            : cost[(gsize) ((i) - 1) * stride + ((j) - 1)])

  for (i = 1; i <= n; i++)
    {
      guint j0 = 0;
      p[0] = i;
      for (j = 0; j <= m; j++)
        {
          minv[j] = INFINITY;
          used[j] = FALSE;
        }
      do
        {
          guint i0 = p[j0], j1 = 0;
          double delta = INFINITY;
          used[j0] = TRUE;
          for (j = 1; j <= m; j++)
            if (!used[j])
              {
                double cur = A (i0, j) - u[i0] - v[j];
                if (cur < minv[j])
                  {
                    minv[j] = cur;
                    way[j] = j0;
                  }
                if (minv[j] < delta)
                  {
                    delta = minv[j];
                    j1 = j;
                  }
              }
          for (j = 0; j <= m; j++)
            if (used[j])
              {
                u[p[j]] += delta;
                v[j] -= delta;
              }
            else
              minv[j] -= delta;
          j0 = j1;
        }
      while (p[j0] != 0);
      do
        {
          guint j1 = way[j0];
          p[j0] = p[j1];
          j0 = j1;
        }
      while (j0);
    }
#undef A
  for (j = 1; j <= m; j++)
    p_out[j] = p[j];
}

gboolean
al_hungarian_solve (const double *cost,
                    guint         rows,
                    guint         cols,
                    int          *row_to_col)
{
  guint r, c;

  g_return_val_if_fail (rows == 0 || cost != NULL, FALSE);
  g_return_val_if_fail (row_to_col != NULL || rows == 0, FALSE);

  if (rows > AL_HUNGARIAN_MAX || cols > AL_HUNGARIAN_MAX)
    return FALSE;
  for (r = 0; r < rows; r++)
    row_to_col[r] = -1;
  if (rows == 0 || cols == 0)
    return TRUE;

  if (rows <= cols)
    {
      g_autofree int *p = g_new0 (int, cols + 1);
      solve (cost, rows, cols, FALSE, cols, p);
      for (c = 1; c <= cols; c++)
        if (p[c] > 0)
          row_to_col[p[c] - 1] = c - 1;
    }
  else
    {
      /* More rows than columns: assign columns to rows instead. */
      g_autofree int *p = g_new0 (int, rows + 1);
      solve (cost, cols, rows, TRUE, cols, p);
      for (r = 1; r <= rows; r++)
        if (p[r] > 0)
          row_to_col[r - 1] = p[r] - 1;
    }
  return TRUE;
}
