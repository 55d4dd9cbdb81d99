<?php
// What a person does in Moodle between `xlcnn moodle pull` and `push`, through Moodle's own code
// (the shared helpers' bootstrap, mdl_lib.php, found through MOODLE_DIR):
//
//   php mdl_person.php resubmit <cmid> <email> <file>   the student hands in again (as the student,
//                                                       assign::save_submission, like the upload page)
//   php mdl_person.php move <email> <from group id> <to group id>
//                                                       a teacher moves a student to another group
//                                                       (groups_remove_member, groups_add_member)
//   php mdl_person.php state <cmid> <email> <state>     a teacher sets a marking-workflow state, as the
//                                                       grading table's bulk action does
//   php mdl_person.php states <cmid>                    each student's workflow state (JSON: email -> state)

require(getenv('MOODLE_DIR') . '/mdl_lib.php');
global $DB;

$what = $argv[1] ?? '';
if ($what === 'resubmit') {
    [, , $cmid, $email, $path] = $argv;
    $user = $DB->get_record('user', ['email' => $email], '*', MUST_EXIST);
    rt_set_user($user);
    $assign = rt_assign((int) $cmid);
    $fs = get_file_storage();
    $itemid = file_get_unused_draft_itemid();
    $fs->create_file_from_pathname((object) ['itemid' => $itemid,
        'contextid' => context_user::instance($user->id)->id, 'component' => 'user', 'filearea' => 'draft',
        'filepath' => '/', 'filename' => basename($path)], $path);
    $notices = [];
    if (!$assign->save_submission((object) ['userid' => $user->id, 'files_filemanager' => $itemid], $notices)) {
        fwrite(STDERR, "resubmission for {$email} failed: " . implode('; ', $notices) . "\n");
        exit(1);
    }
    echo "resubmitted {$email}\n";
} else if ($what === 'move') {
    [, , $email, $from, $to] = $argv;
    rt_set_user(rt_teacher());
    $user = $DB->get_record('user', ['email' => $email], '*', MUST_EXIST);
    groups_remove_member((int) $from, $user->id);
    groups_add_member((int) $to, $user->id);
    echo "moved {$email} from group {$from} to {$to}\n";
} else if ($what === 'state') {
    [, , $cmid, $email, $state] = $argv;
    rt_set_user(rt_teacher());
    $assign = rt_assign((int) $cmid);
    $user = $DB->get_record('user', ['email' => $email], '*', MUST_EXIST);
    $flags = $assign->get_user_flags($user->id, true);
    $flags->workflowstate = $state;
    $assign->update_user_flags($flags);
    $grade = $assign->get_user_grade($user->id, true);
    $assign->update_grade($grade);
    echo "state of {$email}: {$state}\n";
} else if ($what === 'states') {
    rt_set_user(rt_teacher());
    $assign = rt_assign((int) $argv[2]);
    $out = [];
    foreach ($assign->list_participants(0, false) as $user) {
        $flags = $assign->get_user_flags($user->id, false);
        $out[$user->email] = $flags ? (string) $flags->workflowstate : '';
    }
    rt_json_out($out);
} else {
    fwrite(STDERR, "usage: mdl_person.php resubmit CMID EMAIL FILE | move EMAIL FROM TO | state CMID EMAIL STATE | states CMID\n");
    exit(2);
}
