/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest side of a cost matrix al_hungarian_solve() accepts. */
#define AL_HUNGARIAN_MAX 1000

/* Minimum-cost assignment (Hungarian algorithm, O(n^3)) on a row-major
 * @rows x @cols matrix. Every row gets a column when rows <= cols and every
 * column a row otherwise; @row_to_col[r] is the column or -1. */
gboolean al_hungarian_solve (const double *cost,
                             guint         rows,
                             guint         cols,
                             int          *row_to_col);

G_END_DECLS
