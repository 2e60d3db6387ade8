; LeadDesk's Windows installer. Built by packaging/windows/build_installer.py, which
; passes the version (from leaddesk/__init__.py), the bundle folder and the icon:
;   makensis -WX -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DBUNDLE=dist\leaddesk
;            -DICON=build\icons\leaddesk.ico -DOUTFILE=dist\LeadDesk-0.1.0-setup.exe leaddesk.nsi
;
; Per user, without administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\LeadDesk, the shortcut to the user's Start menu and the
; Apps & features entry under HKCU. Installing over an earlier version replaces its
; program files in place. The user's leads live elsewhere, in %LOCALAPPDATA%\LeadDesk
; (platformdirs' user data folder, see leaddesk/storage/database.py), and the
; uninstaller keeps them unless "Also remove my leads" is ticked.

!macro Require NAME
  !ifndef ${NAME}
    !error "${NAME} is not defined: build with packaging/windows/build_installer.py"
  !endif
!macroend
!insertmacro Require VERSION
!insertmacro Require VERSION4
!insertmacro Require BUNDLE
!insertmacro Require ICON
!insertmacro Require OUTFILE

; A 32-bit installer runs on every Windows; TARGET=amd64-unicode (Debian's NSIS
; has that stub) lets a 64-bit-only Wine run it in CI.
!ifdef TARGET
  Target ${TARGET}
!else
  Unicode true
!endif
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!define PRODUCT "LeadDesk"
!define PUBLISHER "LeadDesk developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LeadDesk"
!define SETTINGS_KEY "Software\LeadDesk"
; Where LeadDesk keeps the user's database, settings, logs and backups.
!define DATA_DIR "$LOCALAPPDATA\LeadDesk"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\LeadDesk"
; An upgrade goes where the last install went.
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "© ${PUBLISHER}, MIT licence"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC

!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\LeadDesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open LeadDesk"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_PAGE_HEADER_TEXT "Uninstall LeadDesk"
!define MUI_PAGE_HEADER_SUBTEXT "Your leads stay unless you tick the box."
!define MUI_COMPONENTSPAGE_TEXT_TOP "LeadDesk's program files are removed. Your leads, settings and backups in ${DATA_DIR} are kept for a later install, unless you tick the box."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Function SkipDirectoryOnUpgrade
  ReadRegStr $0 HKCU "${SETTINGS_KEY}" "InstallDir"
  ${If} $0 != ""
    Abort
  ${EndIf}
FunctionEnd

; A running LeadDesk holds its executables open, and Windows refuses to open a
; running executable for writing: ask the user to close it instead of failing
; halfway through the copy.
!macro WaitUntilClosed un
Function ${un}WaitUntilClosed
  StrCpy $1 "LeadDesk.exe"
  again:
  ${If} ${FileExists} "$INSTDIR\$1"
    ClearErrors
    FileOpen $0 "$INSTDIR\$1" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "LeadDesk is running. Close it, then click Retry." /SD IDCANCEL IDRETRY again
      Quit
    ${EndIf}
    FileClose $0
  ${EndIf}
  ${If} $1 == "LeadDesk.exe"
    StrCpy $1 "leaddesk-cli.exe"
    Goto again
  ${EndIf}
FunctionEnd
!macroend
!insertmacro WaitUntilClosed ""
!insertmacro WaitUntilClosed "un."

Section "LeadDesk" SecProgram
  SectionIn RO
  SetShellVarContext current
  Call WaitUntilClosed
  ; Upgrade in place: the previous version's libraries go first, so no file of
  ; an older Qt or Python is left beside the new ones.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\LeadDesk.exe"
  Delete "$INSTDIR\leaddesk-cli.exe"

  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\Uninstall LeadDesk.exe"

  CreateShortcut "$SMPROGRAMS\LeadDesk.lnk" "$INSTDIR\LeadDesk.exe" "" "$INSTDIR\LeadDesk.exe" 0

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\LeadDesk.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall LeadDesk.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall LeadDesk.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "un.LeadDesk" SecUnProgram
  SectionIn RO
  SetShellVarContext current
  Call un.WaitUntilClosed
  Delete "$SMPROGRAMS\LeadDesk.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\LeadDesk.exe"
  Delete "$INSTDIR\leaddesk-cli.exe"
  Delete "$INSTDIR\Uninstall LeadDesk.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd

; Unticked by default, and so never taken by a silent uninstall (/S).
Section /o "un.Also remove my leads" SecUnData
  RMDir /r "${DATA_DIR}"
SectionEnd
