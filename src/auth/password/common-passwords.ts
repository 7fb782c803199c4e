/**
 * The bundled deny-list of common passwords (S-49), used by `checkPasswordPolicy`.
 *
 * Source: the "xato-net-10-million-passwords" list (Mark Burnett's ten million
 * passwords, 2015, sorted by frequency) as published in SecLists
 * (github.com/danielmiessler/SecLists, `Passwords/Common-Credentials/
 * xato-net-10-million-passwords-10000.txt`), MIT licence, Copyright (c) 2025 Daniel
 * Miessler; permission notice: https://github.com/danielmiessler/SecLists/blob/master/LICENSE
 *
 * Derivation: the entries of at least 8 characters (shorter ones fail the length rule
 * anyway) among roughly the first 6,500 of that list, lower-cased and de-duplicated,
 * in frequency order: 1,434 entries. They were transcribed from a stored copy of the
 * list, not by a script, so a few qualifying entries may be missing.
 *
 * The list is what attackers try first; entries are offensive at times, as real
 * passwords are. Applications add their own with `extraDenyList` or a breach check.
 */

/** Space-separated, lower case, frequency order. */
const LIST = `
password 12345678 123456789 baseball football qwertyuiop 1234567890 superman 1qaz2wsx trustno1
jennifer sunshine iloveyou computer michelle 11111111 princess 987654321 88888888 q1w2e3r4t5
internet samantha whatever maverick steelers mercedes 123123123 qwer1234 hardcore q1w2e3r4
midnight bigdaddy victoria 1q2w3e4r cocacola marlboro asdfasdf 87654321 12344321 jordan23 jonathan
liverpoo danielle abcd1234 scorpion qazwsxedc password1 slipknot qwerty123 startrek 12341234
redskins butthead asdfghjkl qwertyui liverpool dolphins nicholas elephant mountain xxxxxxxx
1q2w3e4r5t metallic shithead benjamin creative rush2112 asdfghjk 4815162342 passw0rd bullshit
1qazxsw2 garfield 01012011 69696969 december 11223344 godzilla airborne lifehack brooklyn platinum
darkness blink182 789456123 12qwaszx snowball pakistan redwings williams nintendo guinness
november minecraft asdf1234 lasvegas babygirl dickhead 12121212 147258369 explorer snickers
metallica alexande paradise michigan carolina lacrosse christin kimberly kristina 0987654321
poohbear bollocks qweasdzxc drowssap caroline einstein spitfire maryjane 1232323q champion
svetlana westside courtney 12345qwert patricia aaaaaaaa security stargate simpsons scarface
123456789a 1234554321 cherokee usuckballz1 veronica semperfi scotland marshall qwerty12 98765432
softball passport franklin alexander 55555555 zaq12wsx infinity kawasaki 77777777 vladimir
freeuser wildcats brittany 00000000 bulldogs swordfis patriots pearljam colorado ncc1701d motorola
logitech juventus wolverin warcraft hello123 peekaboo 123654789 panthers elizabet spiderma
virginia valentin predator mitchell 741852963 1111111111 rolltide changeme lovelove fktrcfylh
loverboy chevelle cardinal michael1 147852369 american alexandr electric wolfpack spiderman
darkside 123456789q 01011980 freepass 99999999 fyfcnfcbz airplane 22222222 1029384756 cheyenne
billybob lawrence pussycat 01012000 chocolat business cjkysirj 123qweasd stingray serenity
greenday charlie1 firebird blizzard a1b2c3d4 sterling password123 hercules tarheels remember
basketball zeppelin swimming pavilion engineer bobafett 21122112 darkstar icecream hellfire
fireball rockstar defender swordfish airforce abcdefgh srinivas bluebird presario wrangler
precious harrison goldfish dbrnjhbz soso123aljg thailand longhorn 123qweasdzxc wordpass 31415926
999999999 letmein1 assassin testtest microsoft devildog valentina butterfly lonewolf babydoll
atlantis montreal angelina shamrock hotstuff mistress deftones cadillac blahblah birthday 1234abcd
01011990 cavalier veronika qazwsx123 mustang1 goldberg 12345678910 wolfgang savannah leonardo
basketba cristina aardvark sweetpea 13131313 freedom1 fredfred manchester kathleen hamilton
fuckyou2 renegade drpepper bigboobs 1qaz2wsx3edc christia buckeyes 0123456789 stephani enterpri
diamonds wetpussy morpheus 66666666 pornstar thuglife napoleon highland trfnthbyf consumer
welcome1 wrinkle1 123qwe123 elizabeth 51505150 11235813 butterfl sherlock marathon access14
overlord trombone isabelle barcelona babylon5 ultimate yankees1 superfly campbell geronimo
concrete q1w2e3r4t5y6 jessica1 123454321 portugal 14789632 qazxswedc kingkong adgjmptw ncc1701e
mongoose alejandr 1123581321 margaret bluemoon ghbdtnbr bonehead aleksandr rhbcnbyf personal
morrison super123 anything dietcoke cooldude christop lollipop fernando christian letmein2
werewolf punkrock giovanni cdtnkfyf tottenha hongkong blackcat a1234567 zzzzzzzz hollywoo florence
gn56gn56 stocking matthew1 immortal 44444444 makaveli sebastia ilovesex charlott anthony1
111222333 satan666 columbia infantry eternity waterloo vanhalen skywalke seinfeld standard
squirrel qazwsxed fuckfuck wolverine robinson musicman megadeth verbatim 1q2w3e4r5t6y twilight
fuckyou1 stardust 147896325 showtime skittles shaney14 qwerty12345 123321123 intrepid sandiego
punisher 1234567a dingdong starcraft 192837465 mushroom 25802580 slapshot ekaterina 123698745
1234512345 chargers warriors raistlin gangster coltrane 1a2b3c4d 19841984 12369874 stranger
halflife mailcreated5240 qwerasdf playtime kangaroo panasonic christine beautiful spanking
meridian lonestar kittycat goodluck barcelon scoobydo crusader 12312312 1122334455 william1
stonecol santiago septembe scarlett lowrider anastasia 19921992 11112222 penguins nuttertools
lorraine dkflbvbh titleist rootbeer magnolia dodgeram creampie aspirine 1234567q redalert qqqqqqqq
munchkin mersedes imperial blueeyes bigballs zaq1xsw2 sebastian research national colombia
rammstein katerina freckles caliente director qazwsxedcrfv oblivion mustangs margarita deadhead
zxcv1234 porkchop grateful fuck_inside formula1 a1s2d3f4 23232323 peterpan martinez justdoit
goodtime alexandra thankyou springer sapphire richmond kingston brucelee software thunder1
plymouth mariners heather1 chelsea1 123456qwerty stephanie commando labrador pineappl 1234567890q
10101010 amsterdam webmaster lesbians fletcher candyman aquarius starfish monopoly infiniti
gangbang blackjac 8j4ye3uz 19871987 0000000000 sailboat richard1 godsmack emmanuel cosworth
19891989 rosemary lightnin chevrole catherin qwerty123456 asshole1 01011991 luckydog 15426378
swingers qwertyuio qwert123 mandingo ihateyou beefcake beatrice 111111111 whocares scooter1
doberman clitoris 5555555555 dannyboy children terminator valhalla viktoria oklahoma ncc1701a
keystone 19751975 pa55word golfball doughboy charlotte achilles patrick1 gateway1 cowboys1
9876543210 vkontakte jeremiah dilligaf vfrcbvrf technics stripper september pinkfloy maryland
kentucky hastings frederic butthole agent007 19911991 01011985 somethin porsche9 hurrican 73501505
enterprise microlab flamingo function 19941994 19781978 01011970 truelove meatball military
macdaddy diamond1 warhammer universe sentinel kamikaze manchest handsome dthjybrf designer
blueblue australia 321654987 1qaz1qaz 01011981 pokemon1 pantyhos eatpussy 19861986 01011986
superstar ssssssss rjirfrgbde meatloaf lifetime jamesbon 123456789z woofwoof front242 bigmoney
azsxdcfv turkey50 rightnow maradona lionking crazybab charlton 19931993 19901990 poiuytrewq
passwort japanese holyshit 21212121 wildfire sexygirl microsof chocolate chickens arsenal1
19831983 happyday aberdeen 19951995 13243546 123456aa treasure theodore raiders1 ericsson albatros
1passwor 0.0.0.000 zxcasdqwe sexsexsex mikemike michaela fordf150 excalibu sojdlg123aljg 78945612
greenbay greatone applepie 963852741 18436572 lisalisa hardrock dinosaur pa55w0rd rastaman
madeline hollywood hellyeah columbus skywalker rockhard positive melissa1 kcj9wx5n hyperion
happy123 gotohell football1 february abc12345 609609609 yosemite roadkill kingfish billyboy
1qa2ws3ed 123789456 saratoga robotech rasputin rangers1 passwords p0015123 nwo4life megapass
hedgehog davidson anaconda 20102010 12131415 vladislav splinter richards phoenix1 karolina
translator 789789789 magicman killbill 01011989 wrestlin tommyboy sherwood passpass pass1234
majestic freeporn crawford bangbang asdasdasd salvador operator jeanette gggggggg fktrcfylhf
deepthroat cinnamon chester1 broadway 01011988 underdog sunnyday snoopdog multiplelo jasmine1
chemical chainsaw catherine canadian brighton australi alliance 19721972 19691969 supersta
snowboar r2d2c3po mechanic mamapapa golfgolf ghjcnjnfr christopher chicken1 bullseye 20002000
skorpion saturday lkjhgfdsa blackhaw backdoor westwood sneakers marino13 jamesbond getmoney
flounder boomboom beerbeer apple123 passwor1 01011987 01011984 undertaker sinclair samsung1
moneyman mmmmmmmm marianne jjjjjjjj gargoyle federico amsterda 1x2zkg8w 19881988 19741974 zerocool
vfvfgfgf test1234 idontknow hahahaha a123456789 19731973 03082006 02071986 vfhufhbnf pppppppp
motherlode lokomotiv goldstar christina chrisbln 20012001 12345678q whitesox titanium thursday
thirteen tazmania starfire qwerqwer qazwsx12 panasoni paintbal newcastl hotpussy giuseppe buckshot
babyblue attitude 10203040 01011910 sunflowe solution godfather knickers clarinet 12345679
tomorrow southpark sersolution qwerty1234 paintball montgom240 johannes intruder gesperrt francois
dkflbckfd dfktynbyf christie callaway 19821982 19811981 12qw34er 123qwerty salamander resident
poseidon pianoman chuckles avalanch 1q2w3e4r5 superman1 qwertyqwerty rockford meowmeow meathead
budweise 19411945 14725836 01091989 01011992 triangle thanatos runescape gladiator crjhgbjy
barefoot 25252525 02071982 zxcvbnm1 viewsonic traveler together spongebob original mohammed
medicine mazafaka juliette james007 hawkeyes deeznutz cerberus 135792468 12345qwe 01234567
01011975 zxasqw12 terrapin something philippe overkill monalisa illusion hoosiers hayabusa
gfhjkm123 francesc confused clevelan 123456654321 tttttttt smeghead moonlight megatron casanova
cfitymrf blackjack blablabla bbbbbbbb 12301230 syncmaster rhiannon lightning dddddddd brewster
bookworm blessing babybaby aleksandra 19961996 19791979 02091987 02021987 valencia thegreat
packers1 newpass6 dutchess alphabet 19801980 02081988 02051986 02041986 02011985 01011977 roadrunn
rjycnfynby rhtdtlrj mortgage goldwing christmas 12345678a 12011987 02101985 02031986 02021988
wrestling tinkerbell teddybea sinister shannon1 motherfucker mortimer madison1 handyman ghostrider
doghouse balloons 24682468 02061985 02011987 wareagle roadking realmadrid nokia6300 idontkno
gameover claymore chicago1 blackbir bcfields polniypizdec0211 1357924680 02091986 02021986
01011983 whiskers valkyrie talisman starcraf sporting southpar kittykat inuyasha babyface
7ugd5hip2j 02081987 02081984 02061986 02021984 01011982 strength qweqweqwe recovery playstation
florida1 flexible dragonball checkers charlene beautifu baseball1 leavemealone 02031984 02021985
thedoors sullivan stanford mollydog hardcock 987456321 21031988 123qq123 1234567890a 02081989
02011986 01020304 01011999 matthews mandarin lalalala godfathe gabriela ffffffff binladen bluefish
19771977 19761976 02061989 02041984 tottenham tiberius teddybear northern microphone dirtbike
deadpool carpedie asdfzxcv amateurs absolute 50spanks 02021983 shanghai property password2
netscape kakashka hawaiian gfhjkmgfhjkm fyutkbyf digital1 caligula blackout 15151515 123456qw
1234567891 02051983 02041983 02031987 02021989 z1x2c3v4 vsjasnel12 testpass stonecold soulmate
q2w3e4r5 millions lineage2 fgtkmcby criminal coldbeer capslock bullfrog bobdylan babylove
argentina annabell 11221122 02081986 02041988 02041987 02041982 02011988 yeahbaby vasilisa
sergeant reynolds newyork1 magazine llllllll jayhawks fishing1 dragon12 abnormal 09876543 02101984
02081985 02071984 02011980 01011979 wg8e3wjf shitface salasana rebecca1 pussyman pringles preacher
heineken gatorade gabriell ferrari1 eldorado coolness 14141414 02021982 thunderb telephon specialk
shepherd paranoid monster1 missouri masamune mamamama hopeless farscape estrella dragonba corleone
chevrolet carlitos buttercu buddyboy 24242424 12365478 02061988 02031985 yfcntymrf winston1
slippery sandwich piramida monkey12 millwall magician jackson5 insomnia hardware fountain fastball
elizaveta borussia andromed alejandro 1234asdf 02081982 02051982 windsurf wildcard universal
sunflower strawberry reddevil pornporn polopolo pinkfloyd panther1 jiggaman islander inspiron
green123 123456qwe 02061980 02031982 02011984 zaqxswcde washington violetta smashing sexysexy
robotics rjhjktdf reckless nightmare katherin jellybea killkill hhhhhhhh gandalf1 download
doomsday devil666 darklord chrysler 9293709b13 20202020 02091983 02061987 01081989 yjdsqgfhjkm
snowboard scrabble rainbow6 qazwsxedc123 pharmacy nevermind mariposa insanity graphics geoffrey
firewall fandango augustus ashleigh 321321321 12051988 05051987 02101989 02101987 02071987
02071980 02041985 sweetnes stanislav radiohea pumpkins mobydick longjohn iverson3 istanbul
highheel happiness gamecock faithful creature creation concorde budapest 19711971 134679852
02091984 02091981 02091980 02061983 02041981 01011900 webhompas thisisit spongebo senators
sausages pineapple nygiants moonbeam marcello maksimka loveless lollypop kleopatra icehouse
hooligan gertrude fullmoon fuckinside dynamite buttfuck bulldog1 brittney aviation 22041987
20022002 05051985 02081977 02071988 02051988 02051987 02041979 webmaste radiohead platypus
monkeybo master12 heritage festival evolution a12345678 good123654 26061987 15051981 08031986
02061984 02061982 02051989 02051984 02031981 woodland whiteout vanguard temppass reddwarf pussy123
forsaken earnhard coolcool 7894561230 21031987 13041988 11051987 10011986 06061986 02091985
02021981 02021979 01031988 summer99 starstar snowflak slamdunk playboy1 michael2 mephisto
kjrjvjnbd killer12 kkkkkkkk iloveyou2 holidays harrypotter gorgeous dudedude andersen 02101986
02081983 02041989 02011989 01011978 zxcvbnm123 volkswag solitude scoobydoo roadster presiden
pool6123 playstat pipeline mypassword mazdarx7 lemonade krasotka koroleva irishman hawaii50
gabriel1 freefree francesco christma chipmunk brigitte bigblock bergkamp bearcats 74108520
45m2do5bs 30051985 24061986 22021989 21011989 20061988 1z2x3c4v 14061991 13041987 12021988
11081989 03041991 02071981 02031979 02021976 01061990 01011960 yankees2 wireless tiffany1 starligh
nascar24 mudvayne mckenzie mazda626 kisskiss gbhfvblf freebird fantasia choochoo chambers borabora
asdfgh01 alessandro abrakadabra 7777777777 23456789 23041987
`;

/** The deny-list as a set of lower-case strings. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
