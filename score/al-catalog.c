/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <string.h>

#include "al-catalog.h"

#define MAX_CATALOG (16 * 1024 * 1024)

static GMutex lock;
static GHashTable *catalogs; /* language -> GHashTable (msgid -> msgstr), or a NULL value */

static void
table_unref (gpointer table)
{
  if (table)
    g_hash_table_unref (table);
}

static guint32
read_u32 (const guchar *p,
          gboolean      swap)
{
  guint32 v;
  memcpy (&v, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

/* The .mo layout: magic, revision, count, offset of the original strings'
 * table, offset of the translations' table; each table holds (length,
 * offset) pairs. Anything out of bounds makes the whole file unusable. */
static GHashTable *
parse_mo (const guchar *data,
          gsize         size)
{
  g_autoptr (GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint32 magic, n, orig, trans, i;
  gboolean swap;

  if (size < 20)
    return NULL;
  memcpy (&magic, data, 4);
  if (magic == 0x950412de)
    swap = FALSE;
  else if (GUINT32_SWAP_LE_BE (magic) == 0x950412de)
    swap = TRUE;
  else
    return NULL;
  n = read_u32 (data + 8, swap);
  orig = read_u32 (data + 12, swap);
  trans = read_u32 (data + 16, swap);
  if ((guint64) orig + (guint64) n * 8 > size || (guint64) trans + (guint64) n * 8 > size)
    return NULL;
  for (i = 0; i < n; i++)
    {
      guint32 olen = read_u32 (data + orig + 8 * i, swap);
      guint32 ooff = read_u32 (data + orig + 8 * i + 4, swap);
      guint32 tlen = read_u32 (data + trans + 8 * i, swap);
      guint32 toff = read_u32 (data + trans + 8 * i + 4, swap);
      if ((guint64) ooff + olen >= size || (guint64) toff + tlen >= size)
        return NULL;
      /* Keys and values stop at the first NUL: plural forms are not used
       * by this module. */
      if (olen == 0 || tlen == 0)
        continue;
      g_hash_table_insert (table, g_strndup ((const char *) data + ooff, olen),
                           g_strndup ((const char *) data + toff, tlen));
    }
  return g_steal_pointer (&table);
}

static GHashTable *
load_language (const char *language)
{
  const char *dirs[3] = {
    g_getenv ("ANNOLAB_LOCALEDIR"),
#ifdef AL_QUALITY_BUILD_PODIR
    AL_QUALITY_BUILD_PODIR,
#else
    NULL,
#endif
    LOCALEDIR,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;
      GHashTable *table;

      if (dirs[i] == NULL || *dirs[i] == '\0')
        continue;
      path = g_build_filename (dirs[i], language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      if (len > MAX_CATALOG)
        {
          g_warning ("%s: larger than %d MiB, not used", path, MAX_CATALOG >> 20);
          continue;
        }
      table = parse_mo ((const guchar *) contents, len);
      if (table)
        return table;
      g_warning ("%s: not a readable gettext catalog", path);
    }
  return NULL;
}

const char *
al_catalog_lookup (const char *language,
                   const char *context,
                   const char *msgid)
{
  g_autofree char *key = NULL;
  GHashTable *table;
  const char *found = NULL;

  g_return_val_if_fail (msgid != NULL, NULL);

  if (language == NULL || g_str_equal (language, "en") || strchr (language, '/'))
    return msgid;

  key = context ? g_strconcat (context, "\004", msgid, NULL) : g_strdup (msgid);

  g_mutex_lock (&lock);
  if (catalogs == NULL)
    catalogs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, table_unref);
  if (!g_hash_table_lookup_extended (catalogs, language, NULL, (gpointer *) &table))
    {
      table = load_language (language);
      g_hash_table_insert (catalogs, g_strdup (language), table);
    }
  if (table)
    found = g_hash_table_lookup (table, key);
  g_mutex_unlock (&lock);

  /* Catalogs are never freed while in use except by al_catalog_reset(). */
  return found && *found ? found : msgid;
}

void
al_catalog_reset (void)
{
  g_mutex_lock (&lock);
  g_clear_pointer (&catalogs, g_hash_table_unref);
  g_mutex_unlock (&lock);
}
