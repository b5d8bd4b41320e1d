/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Image sizes from PNG, JPEG, GIF and BMP headers. */
#include "config.h"

#include "al-formats.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  int width = 0, height = 0;

  if (al_image_size_parse (data, size, &width, &height))
    g_assert (width > 0 && height > 0 && width <= 1000000 && height <= 1000000);
  return 0;
}
