/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "al-formats.h"

/* JPEG puts its frame header after the EXIF block, which may hold a
 * thumbnail; this much of the file is enough in practice. */
#define HEAD_BYTES (1024 * 1024)

/* Only a regular file: a FIFO or a device named by a dataset would block
 * or never end. */
static FILE *
open_regular (const char *path)
{
  struct stat st;
  FILE *f;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || (f = fdopen (fd, "rb")) == NULL)
    {
      close (fd);
      return NULL;
    }
  return f;
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

static gboolean
jpeg_size (const guint8 *d,
           gsize         n,
           int          *width,
           int          *height)
{
  gsize i = 2;

  while (i + 4 <= n)
    {
      guint8 marker;
      gsize len;

      if (d[i] != 0xff)
        return FALSE;
      marker = d[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }
      len = (gsize) d[i + 2] << 8 | d[i + 3];
      if (len < 2)
        return FALSE;
      /* Start-of-frame markers, not DHT (c4), JPG (c8) or DAC (cc). */
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (i + 9 > n || len < 7)
            return FALSE;
          *height = d[i + 5] << 8 | d[i + 6];
          *width = d[i + 7] << 8 | d[i + 8];
          return *width > 0 && *height > 0;
        }
      i += 2 + len;
    }
  return FALSE;
}

gboolean
al_image_size_parse (const guint8 *d,
                     gsize         n,
                     int          *width,
                     int          *height)
{
  guint32 w = 0, h = 0;

  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  if (n >= 24 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp (d + 12, "IHDR", 4) == 0)
    {
      w = be32 (d + 16);
      h = be32 (d + 20);
    }
  else if (n >= 4 && d[0] == 0xff && d[1] == 0xd8)
    return jpeg_size (d, n, width, height);
  else if (n >= 10 && (memcmp (d, "GIF87a", 6) == 0 || memcmp (d, "GIF89a", 6) == 0))
    {
      w = d[6] | d[7] << 8;
      h = d[8] | d[9] << 8;
    }
  else if (n >= 26 && d[0] == 'B' && d[1] == 'M')
    {
      gint32 sh = (gint32) le32 (d + 22);
      w = le32 (d + 18);
      h = sh < 0 ? (guint32) -(gint64) sh : (guint32) sh;
    }
  if (w == 0 || h == 0 || w > 1000000 || h > 1000000)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

gboolean
al_image_size (const char *path,
               int        *width,
               int        *height)
{
  g_autofree guint8 *head = g_malloc (HEAD_BYTES);
  FILE *f = open_regular (path);
  gsize n;

  if (f == NULL)
    return FALSE;
  n = fread (head, 1, HEAD_BYTES, f);
  fclose (f);
  return al_image_size_parse (head, n, width, height);
}

double
al_wav_duration (const char *path)
{
  guint8 head[4096];
  FILE *f = open_regular (path);
  guint32 byte_rate = 0;
  gsize n, i = 12;

  if (f == NULL)
    return 0;
  n = fread (head, 1, sizeof head, f);
  fclose (f);
  if (n < 12 || memcmp (head, "RIFF", 4) != 0 || memcmp (head + 8, "WAVE", 4) != 0)
    return 0;
  while (i + 8 <= n)
    {
      guint32 size = le32 (head + i + 4);
      if (memcmp (head + i, "fmt ", 4) == 0 && i + 20 <= n)
        byte_rate = le32 (head + i + 16);
      else if (memcmp (head + i, "data", 4) == 0)
        return byte_rate ? (double) size / byte_rate : 0;
      i += 8 + (gsize) size + (size & 1);
    }
  return 0;
}
