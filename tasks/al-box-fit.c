/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "al-box-fit.h"

static gboolean
read_number (json_t     *box,
             const char *key,
             double     *out)
{
  json_t *v = json_object_get (box, key);
  if (!json_is_number (v))
    return FALSE;
  *out = json_number_value (v);
  return isfinite (*out);
}

/* Only a changed value is written back, so whole pixels stay whole. */
static void
set_number (json_t     *box,
            const char *key,
            double      old_value,
            double      value)
{
  if (value != old_value)
    json_object_set_new (box, key, json_real (value));
}

gboolean
al_box_fit (json_t *box,
            int     width,
            int     height,
            char  **problem)
{
  double x, y, w, h, x0, y0, x1, y1;
  double W = width > 0 ? width : AL_BOX_MAX_SIDE;
  double H = height > 0 ? height : AL_BOX_MAX_SIDE;
  /* A known image allows a box to overshoot by its own size (a sloppy
   * drag); an unknown one by a pixel. */
  double mx = width > 0 ? W : 1, my = height > 0 ? H : 1;
  g_autofree char *size = width > 0 && height > 0 ? g_strdup_printf ("%d×%d", width, height)
                                                  : g_strdup ("unknown-size");

  if (!read_number (box, "x", &x) || !read_number (box, "y", &y) || !read_number (box, "w", &w)
      || !read_number (box, "h", &h))
    {
      *problem = g_strdup ("needs finite numbers x, y, w and h");
      return FALSE;
    }
  if (w <= 0 || h <= 0)
    {
      *problem = g_strdup ("has no area (w and h must be above 0)");
      return FALSE;
    }
  if (x < -mx || y < -my || w > W + 2 * mx || h > H + 2 * my || x + w > W + mx
      || y + h > H + my)
    {
      *problem = g_strdup_printf ("at x=%g, y=%g, w=%g, h=%g reaches far outside the %s image",
                                  x, y, w, h, size);
      return FALSE;
    }
  x0 = MAX (x, 0);
  y0 = MAX (y, 0);
  x1 = MIN (x + w, W);
  y1 = MIN (y + h, H);
  if (x1 - x0 <= 0 || y1 - y0 <= 0)
    {
      *problem = g_strdup_printf ("at x=%g, y=%g, w=%g, h=%g lies outside the %s image", x, y, w,
                                  h, size);
      return FALSE;
    }
  set_number (box, "x", x, x0);
  set_number (box, "y", y, y0);
  set_number (box, "w", w, x1 - x0);
  set_number (box, "h", h, y1 - y0);
  return TRUE;
}

gboolean
al_boxes_fit (json_t *result,
              int     width,
              int     height,
              char  **problem)
{
  json_t *box;
  size_t i;

  json_array_foreach (json_object_get (result, "boxes"), i, box)
    {
      g_autofree char *why = NULL;
      if (!al_box_fit (box, width, height, &why))
        {
          const char *label = json_string_value (json_object_get (box, "label"));
          *problem = g_strdup_printf ("box %zu%s%s%s %s", i + 1, label ? " (\"" : "",
                                      label ? label : "", label ? "\")" : "", why);
          return FALSE;
        }
    }
  return TRUE;
}
