/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Datasets from outside: every media file must be a readable image or
 * recording inside the dataset's folder, or nothing is imported. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "al-formats.h"
#include "al-store.h"
#include "test-db.h"

typedef struct
{
  char *dir;   /* holds queue.db and the folder "set" */
  char *set;   /* the dataset: coins.png, cards-001.wav, photos/coffee.jpg */
  AlStore *store;
} Fixture;

static char *
demo_path (const char *name)
{
  const char *root = g_getenv ("ANNOLAB_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", "data", "demo", name, NULL);
}

static void
copy_to (const char *from,
         const char *to)
{
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (to, bytes, length, NULL));
}

static char *
put (Fixture    *f,
     const char *name,
     const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *photos = NULL;
  const char *copies[][2] = { { "images/coins.png", "set/coins.png" },
                              { "images/coffee.jpg", "set/photos/coffee.jpg" },
                              { "images/horse.png", "outside.png" },
                              { "audio/cards-001.wav", "set/cards-001.wav" } };

  f->dir = g_dir_make_tmp ("annolab-media-XXXXXX", &error);
  g_assert_no_error (error);
  f->set = g_build_filename (f->dir, "set", NULL);
  photos = g_build_filename (f->set, "photos", NULL);
  g_assert_cmpint (g_mkdir_with_parents (photos, 0755), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      g_autofree char *from = demo_path (copies[i][0]);
      g_autofree char *to = g_build_filename (f->dir, copies[i][1], NULL);
      copy_to (from, to);
    }
  db = g_build_filename (f->dir, "queue.db", NULL);
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_clear_pointer (&f->store, al_store_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->set);
}

/* Imports @name (holding @text) and expects it refused with a message that
 * names the file, the task and @expect, and nothing imported. */
static void
refused (Fixture         *f,
         const char      *name,
         const char      *text,
         AlImportOptions *options,
         const char      *expect)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = text ? put (f, name, text) : g_build_filename (f->dir, name, NULL);
  gint64 before = al_store_count_tasks (f->store);

  g_assert_false (al_format_import (f->store, path, NULL, options, NULL, &error));
  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, path) || !strstr (error->message, ", task ") ||
      !strstr (error->message, expect))
    g_error ("%s: \"%s\" does not name the file, the task and \"%s\"", name, error->message,
             expect);
  g_test_message ("%s: %s", name, error->message);
  g_assert_cmpint (al_store_count_tasks (f->store), ==, before);
}

static void
test_outside_refused (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *photos = g_build_filename (f->set, "photos", NULL);
  g_autofree char *link = g_build_filename (photos, "link.jpg", NULL);
  g_autofree char *rec = g_build_filename (f->dir, "rec", NULL);
  g_autofree char *evil = g_build_filename (rec, "evil.wav", NULL);
  g_autofree char *wav = g_build_filename (f->set, "cards-001.wav", NULL);
  g_autofree char *good = g_build_filename (rec, "good.wav", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "outside.png", NULL);
  AlImportOptions images = { .images_dir = photos };

  refused (f, "set/abs.jsonl", "{\"id\":\"x\",\"kind\":\"bbox\",\"image\":\"/etc/passwd\","
           "\"labels\":[\"a\"]}\n", NULL, "the image /etc/passwd is outside the dataset's folder");
  refused (f, "set/up.jsonl", "{\"id\":\"ok\",\"kind\":\"bbox\",\"image\":\"coins.png\","
           "\"labels\":[\"a\"]}\n{\"id\":\"up\",\"kind\":\"bbox\",\"image\":\"../outside.png\","
           "\"labels\":[\"a\"]}\n", NULL, "task up: the image");
  refused (f, "set/up.jsonl", NULL, NULL, "outside.png is outside");
  refused (f, "set/dots.json",
           "{\"images\":[{\"id\":1,\"file_name\":\"../../../../../etc/passwd\"}],"
           "\"categories\":[{\"id\":1,\"name\":\"a\"}]}", NULL, "/etc/passwd is outside");
  refused (f, "set/abs.json", "{\"images\":[{\"id\":1,\"file_name\":\"/etc/hostname\"}],"
           "\"categories\":[{\"id\":1,\"name\":\"a\"}]}", NULL, "/etc/hostname is outside");
  refused (f, "set/ls.json",
           "[{\"id\":1,\"data\":{\"audio\":\"/data/local-files/?d=/etc/passwd\"}}]", NULL, "the recording /etc/passwd is outside");

  /* A symlink inside --images that leads out of it. */
  g_assert_cmpint (symlink (outside, link), ==, 0);
  refused (f, "set/link.json", "{\"images\":[{\"id\":1,\"file_name\":\"link.jpg\"}],"
           "\"categories\":[{\"id\":1,\"name\":\"a\"}]}", &images, "link.jpg is outside");
  /* And in an audio folder. */
  g_assert_cmpint (g_mkdir (rec, 0755), ==, 0);
  copy_to (wav, good);
  g_assert_cmpint (symlink ("/etc/passwd", evil), ==, 0);
  refused (f, "rec", NULL, NULL, "evil.wav is outside");
}

static void
test_database_refused (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "queue.db", NULL);
  g_autofree char *hard = g_build_filename (f->dir, "photo.png", NULL);

  /* The tasks file beside the database: the database is in its folder. */
  refused (f, "db.jsonl", "{\"id\":\"x\",\"kind\":\"bbox\",\"image\":\"queue.db\","
           "\"labels\":[\"a\"]}\n", NULL, "queue.db is the database itself");
  refused (f, "wal.jsonl", "{\"id\":\"x\",\"kind\":\"transcribe\",\"audio\":\"queue.db-wal\"}\n",
           NULL, "queue.db-wal is the database itself");
  g_assert_cmpint (link (db, hard), ==, 0);
  refused (f, "hard.jsonl", "{\"id\":\"x\",\"kind\":\"bbox\",\"image\":\"photo.png\","
           "\"labels\":[\"a\"]}\n", NULL, "photo.png is the database itself");
}

static gboolean
refuse_audio (const char *path,
              gpointer    data,
              GError    **error)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "the decoder says no to %s", path);
  return FALSE;
}

static void
test_unreadable_refused (Fixture      *f,
                         gconstpointer data)
{
  AlImportOptions decode = { .check_audio = refuse_audio };

  refused (f, "set/gone.json", "{\"images\":[{\"id\":1,\"file_name\":\"coins.png\"},"
           "{\"id\":2,\"file_name\":\"gone.jpg\"}],\"categories\":[{\"id\":1,\"name\":\"a\"}]}",
           NULL, "task gone-2: the image");
  refused (f, "set/gone.json", NULL, NULL, "gone.jpg does not exist");
  refused (f, "set/gone.jsonl", "{\"id\":\"p\",\"kind\":\"bbox\",\"image\":\"photos/missing.jpg\","
           "\"labels\":[\"a\"]}\n", NULL, "task p: the image");
  refused (f, "set/gone.jsonl", NULL, NULL, "photos/missing.jpg does not exist");
  g_free (put (f, "set/notes.png", "only some text with a picture's name\n"));
  refused (f, "set/text.jsonl", "{\"id\":\"t\",\"kind\":\"bbox\",\"image\":\"notes.png\","
           "\"labels\":[\"a\"]}\n", NULL, "notes.png is not a PNG, JPEG, GIF or BMP picture");
  g_free (put (f, "set/notes.wav", "only some text with a recording's name\n"));
  refused (f, "set/text-audio.jsonl", "{\"id\":\"s\",\"kind\":\"transcribe\",\"audio\":"
           "\"notes.wav\"}\n", NULL, "notes.wav is not a WAV, FLAC, Ogg, MP3 or M4A sound file");
  /* A FIFO would block whoever opens it. */
  {
    g_autofree char *fifo = g_build_filename (f->set, "pipe.png", NULL);
    g_autofree char *rec = g_build_filename (f->dir, "rec", NULL);
    g_autofree char *fifo_wav = g_build_filename (rec, "pipe.wav", NULL);
    g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
    refused (f, "set/fifo.jsonl", "{\"id\":\"q\",\"kind\":\"bbox\",\"image\":\"pipe.png\","
             "\"labels\":[\"a\"]}\n", NULL, "pipe.png is not a file");
    refused (f, "set/fifo.json", "[{\"id\":1,\"data\":{\"image\":\"pipe.png\"},\"annotations\":"
             "[{\"result\":[{\"type\":\"rectanglelabels\",\"value\":{\"x\":1,\"y\":1,"
             "\"width\":5,\"height\":5,\"rectanglelabels\":[\"a\"]}}]}]}]", NULL,
             "pipe.png cannot be read");
    g_assert_cmpint (g_mkdir (rec, 0755), ==, 0);
    g_assert_cmpint (mkfifo (fifo_wav, 0644), ==, 0);
    refused (f, "rec", NULL, NULL, "pipe.wav is not a regular file");
  }
  refused (f, "set/decode.jsonl", "{\"id\":\"s\",\"kind\":\"transcribe\",\"audio\":"
           "\"cards-001.wav\"}\n", &decode, "the decoder says no to");
}

static char *
first_root (Fixture *f)
{
  g_autoptr (sqlite3) db = test_db_open (al_store_get_path (f->store));
  g_autoptr (sqlite3_stmt) stmt = NULL;
  char *root = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT group_concat(path, ' ') FROM media_roots", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    root = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return root;
}

static void
test_inside_accepted (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *inner = g_build_filename (f->set, "inner.png", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *roots = NULL;
  g_autofree char *outside = g_build_filename (f->dir, "outside.png", NULL);
  AlImportOptions rel = { .images_dir = "photos/" };
  AlImportOptions wide = { .media_root = f->dir };
  guint count = 0;

  /* A symlink that stays inside the folder, and media beside the file. */
  g_assert_cmpint (symlink ("photos/coffee.jpg", inner), ==, 0);
  path = put (f, "set/tasks.jsonl", "{\"id\":\"a\",\"kind\":\"bbox\",\"image\":\"inner.png\","
              "\"labels\":[\"a\"]}\n{\"id\":\"b\",\"kind\":\"transcribe\",\"audio\":"
              "\"cards-001.wav\"}\n{\"id\":\"c\",\"kind\":\"bbox\",\"image\":\"https://example.org/"
              "x.png\",\"labels\":[\"a\"]}\n");
  g_assert_true (al_format_import (f->store, path, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);
  roots = first_root (f);
  g_assert_cmpstr (roots, ==, f->set);

  /* --images relative to the working folder, as the README writes it. */
  g_clear_pointer (&path, g_free);
  path = put (f, "set/instances.json", "{\"images\":[{\"id\":5,\"file_name\":\"coffee.jpg\"}],"
              "\"categories\":[{\"id\":1,\"name\":\"cup\"}]}");
  g_assert_cmpint (g_chdir (f->set), ==, 0);
  g_assert_true (al_format_import (f->store, "instances.json", NULL, &rel, &count, &error));
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  /* An explicit --media-root lets the admin name a wider folder. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("{\"id\":\"w\",\"kind\":\"bbox\",\"image\":\"%s\",\"labels\":[\"a\"]}\n",
                          outside);
  g_free (put (f, "set/wide.jsonl", path));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (f->set, "wide.jsonl", NULL);
  refused (f, "set/wide.jsonl", NULL, NULL, "outside.png is outside");
  g_assert_true (al_format_import (f->store, path, NULL, &wide, &count, &error));
  g_assert_no_error (error);
  g_clear_pointer (&roots, g_free);
  roots = first_root (f);
  g_assert_true (strstr (roots, f->dir) != NULL);

  /* A folder option that is not there is named. */
  rel.images_dir = "no-such-folder";
  g_assert_false (al_format_import (f->store, "instances.json", NULL, &rel, NULL, &error));
  g_assert_cmpstr (error->message, ==, "--images no-such-folder: there is no such folder");
}

static void
test_audio_headers (void)
{
  g_assert_true (al_audio_header_parse ((const guint8 *) "RIFF\0\0\0\0WAVEfmt ", 16));
  g_assert_true (al_audio_header_parse ((const guint8 *) "fLaC\0\0\0\x22", 8));
  g_assert_true (al_audio_header_parse ((const guint8 *) "OggS\0\x02", 6));
  g_assert_true (al_audio_header_parse ((const guint8 *) "ID3\x04\0", 5));
  g_assert_true (al_audio_header_parse ((const guint8 *) "\xff\xfb\x90\x64", 4));
  g_assert_true (al_audio_header_parse ((const guint8 *) "\0\0\0\x20" "ftypM4A ", 12));
  g_assert_false (al_audio_header_parse ((const guint8 *) "RIFF\0\0\0\0AVI LIST", 16));
  g_assert_false (al_audio_header_parse ((const guint8 *) "SQLite format 3", 15));
  g_assert_false (al_audio_header_parse ((const guint8 *) "", 0));
}

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/import-media/outside-refused", test_outside_refused);
  ADD ("/import-media/database-refused", test_database_refused);
  ADD ("/import-media/unreadable-refused", test_unreadable_refused);
  ADD ("/import-media/inside-accepted", test_inside_accepted);
  g_test_add_func ("/import-media/audio-headers", test_audio_headers);
  return g_test_run ();
}
